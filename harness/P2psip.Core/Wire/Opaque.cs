using System.Buffers.Binary;

namespace P2psip.Wire;

/// <summary>
/// An immutable run of bytes with value equality: RFC 6940's <c>opaque</c> (§6.3.1).
/// Decoding slices the message buffer instead of copying, so an Opaque is cheap to make.
/// </summary>
public readonly struct Opaque : IEquatable<Opaque>
{
    private readonly ReadOnlyMemory<byte> _memory;

    public Opaque(ReadOnlyMemory<byte> memory) => _memory = memory;

    public static Opaque Empty => default;

    public ReadOnlyMemory<byte> Memory => _memory;
    public ReadOnlySpan<byte> Span => _memory.Span;
    public int Length => _memory.Length;
    public bool IsEmpty => _memory.IsEmpty;

    public byte[] ToArray() => _memory.ToArray();

    public static Opaque FromHex(string hex) => new(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));
    public static Opaque Utf8(string text) => new(System.Text.Encoding.UTF8.GetBytes(text));

    public static implicit operator Opaque(byte[] bytes) => new(bytes);

    public bool Equals(Opaque other) => _memory.Span.SequenceEqual(other._memory.Span);
    public override bool Equals(object? obj) => obj is Opaque o && Equals(o);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_memory.Span);
        return hash.ToHashCode();
    }

    public static bool operator ==(Opaque a, Opaque b) => a.Equals(b);
    public static bool operator !=(Opaque a, Opaque b) => !a.Equals(b);

    /// <summary>Lower-case hex, the form the dump, JSON and the CLI use.</summary>
    public string ToHex() => Convert.ToHexStringLower(_memory.Span);

    public override string ToString() => ToHex();

    /// <summary>Big-endian unsigned value of a short opaque, used for compressed ids.</summary>
    internal ulong ToUInt64()
    {
        Span<byte> tmp = stackalloc byte[8];
        tmp.Clear();
        var s = _memory.Span;
        s[^Math.Min(8, s.Length)..].CopyTo(tmp[(8 - Math.Min(8, s.Length))..]);
        return BinaryPrimitives.ReadUInt64BigEndian(tmp);
    }
}
