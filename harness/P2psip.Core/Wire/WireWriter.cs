using System.Buffers.Binary;

namespace P2psip.Wire;

/// <summary>
/// Writes RELOAD structures big-endian (§6.3.1). Every write names its field; lengths are computed
/// unless a <see cref="WireEdits"/> says otherwise. When edits or a field map are asked for, the
/// writer tracks field paths; otherwise names cost nothing and the fast path allocates only the buffer.
/// </summary>
public sealed class WireWriter
{
    private byte[] _buf;
    private int _pos;
    private readonly WireEdits? _edits;
    private readonly bool _tracking;
    private Frame[] _frames = new Frame[16];
    private int _depth;
    private readonly List<SlotState> _slots = [];
    private readonly FieldNode? _root;
    /// <summary>When set, the field map holds only the nodes on this path (segments, <c>[*]</c> for any element).</summary>
    private readonly string[]? _only;

    public WireWriter(int capacity = 256, WireEdits? edits = null, bool buildFieldMap = false)
    {
        _buf = new byte[Math.Max(16, capacity)];
        _edits = edits is { IsEmpty: false } ? edits : null;
        _tracking = _edits is not null || buildFieldMap;
        if (_tracking) _root = new FieldNode("", "", FieldKind.Container, 0, null);
    }

    /// <summary>
    /// A writer whose field map holds only the fields on one path and their ancestors: the segments
    /// of a path from the root (<c>message_contents</c>, <c>message_body</c>, <c>[*]</c>...), where
    /// <c>[*]</c> stands for every element. A matcher that tests one field needs no other node, and
    /// making the others was most of the cost of a field map (the adversary's field tests).
    /// </summary>
    public WireWriter(int capacity, IReadOnlyList<string> onlyPath) : this(capacity, buildFieldMap: true) => _only = [.. onlyPath];

    /// <summary>Empties a writer without edits or field map for reuse, keeping its buffer unless it grew large.</summary>
    internal void Reset()
    {
        if (_tracking) throw new InvalidOperationException("only a plain writer is reused");
        _pos = 0;
        _depth = 0;
        _slots.Clear();
        if (_buf.Length > 64 * 1024) _buf = new byte[256];
    }

    public int Position => _pos;
    public ReadOnlySpan<byte> WrittenSpan => _buf.AsSpan(0, _pos);
    public byte[] ToArray() => _buf.AsSpan(0, _pos).ToArray();

    /// <summary>The field map: one node per field written (null unless tracking).</summary>
    public FieldNode? FieldMap
    {
        get
        {
            if (_root is not null) _root.Length = _pos;
            return _root;
        }
    }

    private struct Frame
    {
        public int Start;
        public string? Path;
        public FieldNode? Node;
        public int NextElement;
        public LengthSlot VectorSlot;
        public int ContentStart;
    }

    /// <summary>A length field written before the bytes it measures, filled in by <see cref="Fill"/>.</summary>
    public readonly struct LengthSlot
    {
        internal LengthSlot(int pos, int width, int index) { Pos = pos; Width = width; Index = index; }
        internal int Pos { get; }
        internal int Width { get; }
        /// <summary>Index of the tracked state, or -1 on the fast path.</summary>
        internal int Index { get; }
    }

    private sealed class SlotState
    {
        public int Pos;
        public string? Path;
        public FieldNode? Node;
        public bool Dead;
        public bool Filled;
    }

    private ref Frame Top => ref _frames[_depth - 1];

    private void Push(in Frame frame)
    {
        if (_depth == _frames.Length) Array.Resize(ref _frames, _depth * 2);
        _frames[_depth++] = frame;
    }

    // ---- paths and the field map ----------------------------------------------------------------

    private string CurrentPath => _depth == 0 ? "" : _frames[_depth - 1].Path ?? "";

    /// <summary>The path of a field about to be written, when edits need it; null otherwise (the node makes it lazily).</summary>
    private string? EditPath(string name) => _edits is null ? null : PathOf(name);

    private string PathOf(string name)
    {
        var prefix = CurrentPath;
        if (prefix.Length == 0) return name;
        return name.StartsWith('[') ? prefix + name : prefix + "." + name;
    }

    private FieldNode? Parent => _depth == 0 ? _root : _frames[_depth - 1].Node;

    /// <summary>True when a field named <paramref name="name"/> written now is off the one path the map is made for.</summary>
    private bool OffPath(string name)
    {
        if (_only is null) return false;
        if (_depth > 0 && _frames[_depth - 1].Node is null) return true;
        if (_depth >= _only.Length) return true;
        var segment = _only[_depth];
        return !(segment == name || (segment == "[*]" && name.StartsWith('[')));
    }

    private FieldNode AddNode(string name, string? path, FieldKind kind, int offset)
    {
        var parent = Parent!;
        var node = new FieldNode(name, path, kind, offset, parent);
        parent.Children.Add(node);
        return node;
    }

    // ---- raw bytes -----------------------------------------------------------------------------

    private void Ensure(int extra)
    {
        if (_pos + extra <= _buf.Length) return;
        Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _pos + extra));
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buf.AsSpan(_pos));
        _pos += bytes.Length;
    }

    private void RawUInt(ulong value, int width)
    {
        Ensure(width);
        for (int i = width - 1; i >= 0; i--)
        {
            _buf[_pos + i] = (byte)value;
            value >>= 8;
        }
        _pos += width;
    }

    // ---- integers ------------------------------------------------------------------------------

    public void U8(string name, byte value, FieldKind kind = FieldKind.Integer, Func<ulong, string?>? meaning = null) =>
        UInt(name, value, 1, kind, meaning);

    public void U16(string name, ushort value, FieldKind kind = FieldKind.Integer, Func<ulong, string?>? meaning = null) =>
        UInt(name, value, 2, kind, meaning);

    public void U24(string name, uint value, FieldKind kind = FieldKind.Integer, Func<ulong, string?>? meaning = null) =>
        UInt(name, value, 3, kind, meaning);

    public void U32(string name, uint value, FieldKind kind = FieldKind.Integer, Func<ulong, string?>? meaning = null) =>
        UInt(name, value, 4, kind, meaning);

    public void U64(string name, ulong value, FieldKind kind = FieldKind.Integer, Func<ulong, string?>? meaning = null) =>
        UInt(name, value, 8, kind, meaning);

    public void Boolean(string name, bool value) => UInt(name, value ? 1u : 0u, 1, FieldKind.Enum, static v => v switch { 0 => "false", 1 => "true", _ => null });

    /// <summary>An unsigned integer of <paramref name="width"/> bytes.</summary>
    public void UInt(string name, ulong value, int width, FieldKind kind = FieldKind.Integer, Func<ulong, string?>? meaning = null)
    {
        if (!_tracking || OffPath(name))
        {
            RawUInt(value, width);
            return;
        }
        var path = EditPath(name);
        if (_edits != null && _edits.TryGetValue(path!, out var forced)) value = forced;
        Leaf(name, path, kind, width, value, meaning, default);
    }

    /// <summary>An integer (<paramref name="width"/> &gt; 0, written from <paramref name="value"/>) or bytes (<paramref name="bytes"/>), with any edits.</summary>
    private void Leaf(string name, string? path, FieldKind kind, int width, ulong value, Func<ulong, string?>? meaning, ReadOnlySpan<byte> bytes)
    {
        if (_edits?.Before(path!) is { } before) Raw(before);
        var node = AddNode(name, path, kind, _pos);
        int start = _pos;
        if (_edits?.Replacement(path!) is { } replacement) Raw(replacement);
        else if (width > 0) RawUInt(value, width);
        else Raw(bytes);
        node.Length = _pos - start;
        node.Width = width;
        node.Value = value;
        // Without edits nothing rewrites these bytes later (a resize copies the buffer and leaves
        // the old one as it was), so the node can keep a slice of the buffer instead of a copy.
        if (width == 0) node.Bytes = _edits is null ? new Opaque(_buf.AsMemory(start, _pos - start)) : new Opaque(_buf.AsSpan(start, _pos - start).ToArray());
        node.Meaning = meaning?.Invoke(value);
        if (_edits?.After(path!) is { } after) Raw(after);
    }

    // ---- bytes ---------------------------------------------------------------------------------

    /// <summary>Bytes with no length prefix (a fixed-size field such as a Node-ID).</summary>
    public void Bytes(string name, ReadOnlySpan<byte> value)
    {
        if (!_tracking || OffPath(name))
        {
            Raw(value);
            return;
        }
        Leaf(name, EditPath(name), FieldKind.Bytes, 0, 0, null, value);
    }

    /// <summary><c>opaque name&lt;0..2^(8*width)-1&gt;</c>: a container holding <c>length</c> and <c>value</c>.</summary>
    public void Vector(string name, int width, ReadOnlySpan<byte> value)
    {
        if (!_tracking || OffPath(name))
        {
            CheckFits(name, value.Length, width);
            RawUInt((ulong)value.Length, width);
            Raw(value);
            return;
        }
        BeginVector(name, width);
        Bytes("value", value);
        EndVector();
    }

    // ---- containers ----------------------------------------------------------------------------

    /// <summary>Starts a structure or list; <see cref="End"/> closes it and returns its length in bytes.</summary>
    public void Begin(string name, bool isList = false)
    {
        var frame = new Frame { Start = _pos, Path = "" };
        if (_tracking && !OffPath(name))
        {
            frame.Path = EditPath(name);
            if (_edits?.Before(frame.Path!) is { } before)
            {
                Raw(before);
                frame.Start = _pos;
            }
            frame.Node = AddNode(name, frame.Path, FieldKind.Container, _pos);
            frame.Node.IsList = isList;
        }
        Push(frame);
    }

    /// <summary>Starts the next element of the list being written (named <c>[i]</c>).</summary>
    public void BeginElement()
    {
        if (!_tracking || (_only is not null && Top.Node is null))
        {
            Push(new Frame { Start = _pos, Path = "" });
            return;
        }
        Begin(FieldPaths.Element(Top.NextElement++));
    }

    public int End()
    {
        var frame = _frames[--_depth];
        if (!_tracking || frame.Node is null) return _pos - frame.Start;

        if (_edits?.Replacement(frame.Path!) is { } replacement)
        {
            foreach (var slot in _slots)
                if (!slot.Filled && slot.Pos >= frame.Start) slot.Dead = true;
            _pos = frame.Start;
            Raw(replacement);
            frame.Node!.Children.Clear();
            frame.Node.Bytes = replacement;
        }
        frame.Node!.Length = _pos - frame.Start;
        if (_edits?.After(frame.Path!) is { } after) Raw(after);
        return frame.Node.Length;
    }

    /// <summary>Starts a vector (<c>T name&lt;0..2^(8*width)-1&gt;</c>): a container whose first field, <c>length</c>, is computed at <see cref="EndVector"/>.</summary>
    public void BeginVector(string name, int width, bool isList = false)
    {
        Begin(name, isList);
        var slot = Reserve("length", width);
        ref var top = ref Top;
        top.VectorSlot = slot;
        top.ContentStart = _pos;
    }

    public int EndVector()
    {
        ref var top = ref Top;
        Fill(top.VectorSlot, _pos - top.ContentStart);
        return End();
    }

    /// <summary>Writes <c>T name&lt;0..2^(8*width)-1&gt;</c>: the computed length, then each element as <c>[i]</c>.</summary>
    public void VectorList<T>(string name, int width, IEnumerable<T> items, Action<WireWriter, T> writeElement)
    {
        BeginVector(name, width, isList: true);
        foreach (var item in items)
        {
            BeginElement();
            writeElement(this, item);
            End();
        }
        EndVector();
    }

    /// <summary>Writes a placeholder for a length that is known only later; see <see cref="Fill"/>.</summary>
    public LengthSlot Reserve(string name, int width, FieldKind kind = FieldKind.Length)
    {
        if (!_tracking || OffPath(name))
        {
            var fast = new LengthSlot(_pos, width, -1);
            RawUInt(0, width);
            return fast;
        }
        var state = new SlotState { Path = EditPath(name) };
        if (_edits?.Before(state.Path!) is { } before) Raw(before);
        state.Node = AddNode(name, state.Path, kind, _pos);
        state.Node.Width = width;
        state.Node.Length = width;
        state.Pos = _pos;
        RawUInt(0, width);
        _slots.Add(state);
        if (_edits?.After(state.Path!) is { } after) Raw(after);
        return new LengthSlot(state.Pos, width, _slots.Count - 1);
    }

    /// <summary>Writes the computed value into a reserved length field, unless an edit overrides it.</summary>
    public void Fill(LengthSlot slot, long value)
    {
        if (slot.Index < 0)
        {
            CheckFits("length", value, slot.Width);
            WriteAt(slot.Pos, (ulong)value, slot.Width);
            return;
        }
        var state = _slots[slot.Index];
        state.Filled = true;
        if (state.Dead) return;
        ulong v;
        if (_edits != null && _edits.TryGetValue(state.Path!, out var forced)) v = forced;
        else
        {
            // The node's path only when it is needed for the error: making it for every length is a string per ancestor.
            if (!Fits(value, slot.Width)) CheckFits(state.Path ?? state.Node!.Path, value, slot.Width);
            v = (ulong)value;
        }
        state.Node!.Value = v;
        if (_edits?.Replacement(state.Path!) is { } replacement)
        {
            // A replaced length field may change size: splice the bytes in place of the placeholder
            // and move everything written after it.
            int shift = replacement.Length - slot.Width;
            var tail = _buf.AsSpan(state.Pos + slot.Width, _pos - state.Pos - slot.Width).ToArray();
            _pos = state.Pos;
            Raw(replacement);
            Raw(tail);
            state.Node.Length = replacement.Length;
            state.Node.Bytes = replacement;
            foreach (var other in _slots)
                if (other != state && other.Pos > state.Pos) other.Pos += shift;
            foreach (var node in _root!.Descendants())
                if (node.Offset > state.Pos) node.Offset += shift;
            return;
        }
        WriteAt(state.Pos, v, slot.Width);
    }

    private void WriteAt(int at, ulong value, int width)
    {
        for (int i = width - 1; i >= 0; i--)
        {
            _buf[at + i] = (byte)value;
            value >>= 8;
        }
    }

    private static bool Fits(long value, int width) => width >= 8 || (ulong)value < 1UL << (8 * width);

    private static void CheckFits(string field, long value, int width)
    {
        if (!Fits(value, width))
            throw new WireEncodeException(field, $"length {value} does not fit in {width} byte{(width == 1 ? "" : "s")}");
    }
}
