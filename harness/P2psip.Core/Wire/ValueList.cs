using System.Collections;
using System.Runtime.CompilerServices;

namespace P2psip.Wire;

/// <summary>
/// An immutable list with value equality, so that message records compare by content
/// (the codec law decode(encode(m)) = m is stated with it).
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    public static ValueList<T> Empty { get; } = new([]);

    public ValueList(T[] items) => _items = items;

    public int Count => _items.Length;
    public T this[int index] => _items[index];

    public ReadOnlySpan<T> AsSpan() => _items;

    public static implicit operator ValueList<T>(T[] items) => new(items);

    public bool Equals(ValueList<T>? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (_items.Length != other._items.Length) return false;
        var cmp = EqualityComparer<T>.Default;
        for (int i = 0; i < _items.Length; i++)
            if (!cmp.Equals(_items[i], other._items[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }

    /// <summary>A struct enumerator for <c>foreach</c>: the codec walks these lists for every message, and the interface's enumerator is an allocation each time.</summary>
    public Enumerator GetEnumerator() => new(_items);
    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public struct Enumerator(T[] items)
    {
        private int _index = -1;

        public readonly T Current => items[_index];

        public bool MoveNext() => ++_index < items.Length;
    }

    public override string ToString() => $"[{string.Join(", ", _items)}]";
}

public static class ValueList
{
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => items.Length == 0 ? ValueList<T>.Empty : new(items.ToArray());
}
