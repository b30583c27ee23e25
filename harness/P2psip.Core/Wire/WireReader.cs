using System.Buffers.Binary;
using System.Globalization;

namespace P2psip.Wire;

/// <summary>
/// A forward-only, non-throwing reader over one RELOAD message. Every read names its field and the
/// RFC section that defines it; a failed read leaves <see cref="Error"/> set and the position
/// unchanged, and returns false so callers unwind with <c>return r.Nest("field")</c>.
/// Length-prefixed containers narrow the readable window (<see cref="Enter"/> / <see cref="Leave"/>),
/// so no declared length can make a read run past its container, and nothing is allocated from a
/// declared length: byte fields are slices of the input.
/// </summary>
public ref struct WireReader
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _span;
    private int _pos;
    private int _end;

    public WireReader(ReadOnlyMemory<byte> input, DecodeOptions? options = null)
    {
        _memory = input;
        _span = input.Span;
        _pos = 0;
        _end = input.Length;
        Options = options ?? DecodeOptions.Default;
        Error = null;
    }

    public DecodeOptions Options { get; }
    public DecodeError? Error { get; private set; }
    public readonly int Position => _pos;
    /// <summary>Bytes left in the current container.</summary>
    public readonly int Remaining => _end - _pos;
    public readonly bool AtEnd => _pos == _end;

    // ---- failures ------------------------------------------------------------------------------

    /// <summary>Records an error at <paramref name="offset"/> and returns false.</summary>
    public bool Reject(string field, int offset, string reason, string rfcSection)
    {
        Error = new DecodeError(field, offset, reason, rfcSection);
        return false;
    }

    /// <summary>Prefixes the current error with an enclosing field name while unwinding; returns false.</summary>
    public readonly bool Nest(string segment)
    {
        Error?.Prepend(segment);
        return false;
    }

    public readonly bool Nest(string list, int index) => Nest(list + FieldPaths.Element(index));

    private bool Short(string field, int need, string rfc) =>
        Reject(field, _pos, $"expected at least {need} bytes, got {_end - _pos}", rfc);

    // ---- integers ------------------------------------------------------------------------------

    public bool U8(string field, string rfc, out byte value)
    {
        if (_end - _pos < 1) { value = 0; return Short(field, 1, rfc); }
        value = _span[_pos++];
        return true;
    }

    public bool U16(string field, string rfc, out ushort value)
    {
        if (_end - _pos < 2) { value = 0; return Short(field, 2, rfc); }
        value = BinaryPrimitives.ReadUInt16BigEndian(_span.Slice(_pos));
        _pos += 2;
        return true;
    }

    public bool U24(string field, string rfc, out uint value)
    {
        if (_end - _pos < 3) { value = 0; return Short(field, 3, rfc); }
        value = (uint)(_span[_pos] << 16 | _span[_pos + 1] << 8 | _span[_pos + 2]);
        _pos += 3;
        return true;
    }

    public bool U32(string field, string rfc, out uint value)
    {
        if (_end - _pos < 4) { value = 0; return Short(field, 4, rfc); }
        value = BinaryPrimitives.ReadUInt32BigEndian(_span.Slice(_pos));
        _pos += 4;
        return true;
    }

    public bool U64(string field, string rfc, out ulong value)
    {
        if (_end - _pos < 8) { value = 0; return Short(field, 8, rfc); }
        value = BinaryPrimitives.ReadUInt64BigEndian(_span.Slice(_pos));
        _pos += 8;
        return true;
    }

    /// <summary>An unsigned integer of 1, 2, 3 or 4 bytes: the width of a vector's length prefix (§6.3.1).</summary>
    public bool UInt(string field, int width, string rfc, out uint value)
    {
        switch (width)
        {
            case 1: { var ok = U8(field, rfc, out var v); value = v; return ok; }
            case 2: { var ok = U16(field, rfc, out var v); value = v; return ok; }
            case 3: return U24(field, rfc, out value);
            default: return U32(field, rfc, out value);
        }
    }

    /// <summary><c>enum { false(0), true(1), (255) } Boolean</c>: any other byte is an error (§6.3.1.1).</summary>
    public bool Boolean(string field, string rfc, out bool value)
    {
        int at = _pos;
        value = false;
        if (!U8(field, rfc, out var b)) return false;
        if (b > 1) { _pos = at; return Reject(field, at, $"Boolean must be 0 or 1, got {b}", "6.3.1.1"); }
        value = b == 1;
        return true;
    }

    /// <summary>A one-byte enum whose value 0 the RFC names invalid.</summary>
    public bool Enum8NonZero(string field, string rfc, out byte value)
    {
        int at = _pos;
        if (!U8(field, rfc, out value)) return false;
        if (value == 0) { _pos = at; return Reject(field, at, "the value 0 is the invalid value of this enum", rfc); }
        return true;
    }

    // ---- bytes ---------------------------------------------------------------------------------

    /// <summary>Exactly <paramref name="count"/> bytes, sliced from the input (no copy).</summary>
    public bool Bytes(string field, int count, string rfc, out Opaque value)
    {
        if (_end - _pos < count) { value = default; return Short(field, count, rfc); }
        value = new Opaque(_memory.Slice(_pos, count));
        _pos += count;
        return true;
    }

    /// <summary>Everything left in the current container.</summary>
    public Opaque Rest()
    {
        var value = new Opaque(_memory.Slice(_pos, _end - _pos));
        _pos = _end;
        return value;
    }

    /// <summary>A Node-ID: <c>opaque NodeId[NodeIdLength]</c>, fixed length from the overlay (§6.3.1.1).</summary>
    public bool NodeId(string field, string rfc, out Opaque value) => Bytes(field, Options.NodeIdLength, rfc, out value);

    /// <summary><c>opaque name&lt;0..2^(8*width)-1&gt;</c>: a length prefix of <paramref name="width"/> bytes, then that many bytes.</summary>
    public bool Vector(string field, int width, string rfc, out Opaque value)
    {
        int at = _pos;
        value = default;
        // A bad length is blamed on "field.length", the path the encoder gives that length (§6.3.1).
        if (!LengthPrefix(field, width, rfc, out var len)) return false;
        if (len > (uint)(_end - _pos))
        {
            _pos = at;
            return Reject(LengthOf(field), at, $"length {len} runs past the end of its container ({_end - _pos - width} bytes left)", rfc);
        }
        value = new Opaque(_memory.Slice(_pos, (int)len));
        _pos += (int)len;
        return true;
    }

    // ---- containers ----------------------------------------------------------------------------

    /// <summary>
    /// Reads a length prefix of <paramref name="width"/> bytes and narrows the reader to that many bytes.
    /// Pair with <see cref="Leave"/>, which insists the container was consumed exactly.
    /// </summary>
    public bool Enter(string field, int width, string rfc, out int savedEnd)
    {
        int at = _pos;
        savedEnd = _end;
        if (!LengthPrefix(field, width, rfc, out var len)) return false;
        // The name "field.length" is built only for an error: this runs for every container read.
        return Narrow(len > (uint)(_end - _pos) ? LengthOf(field) : field, at, len, rfc, out savedEnd);
    }

    /// <summary>A length prefix of <paramref name="field"/>, blamed on "field.length" when short (the name is built only then).</summary>
    private bool LengthPrefix(string field, int width, string rfc, out uint len)
    {
        int need = width is 1 or 2 or 3 ? width : 4; // as UInt reads it
        return _end - _pos < need ? UInt(LengthOf(field), width, rfc, out len) : UInt(field, width, rfc, out len);
    }

    /// <summary>Narrows the reader to the next <paramref name="length"/> bytes (a length read earlier).</summary>
    public bool Narrow(string field, int lengthFieldOffset, uint length, string rfc, out int savedEnd)
    {
        savedEnd = _end;
        if (length > (uint)(_end - _pos))
            return Reject(field, lengthFieldOffset, $"length {length} runs past the end of its container ({_end - _pos} bytes left)", rfc);
        _end = _pos + (int)length;
        return true;
    }

    /// <summary>Ends a container: bytes left over are an error; restores the outer window.</summary>
    public bool Leave(string field, int savedEnd, string rfc)
    {
        if (_pos != _end)
        {
            int left = _end - _pos;
            int at = _pos;
            _end = savedEnd;
            return Reject(field, at, $"{left} byte{(left == 1 ? "" : "s")} left over at the end of {field}", rfc);
        }
        _end = savedEnd;
        return true;
    }

    /// <summary>Reads the elements of a list whose byte length was given; each element decoder must consume at least one byte.</summary>
    public bool List<T>(string field, string rfc, ElementReader<T> readElement, out ValueList<T> list)
    {
        list = ValueList<T>.Empty;
        if (_pos == _end) return true;
        // Most lists hold one or two elements: grow an exact-size array rather than a List<T> plus a copy.
        var items = new T[1];
        int count = 0;
        while (_pos < _end)
        {
            int before = _pos;
            if (!readElement(ref this, out var item)) return Nest(field, count);
            if (_pos == before) return Reject(field + FieldPaths.Element(count), before, "element consumed no bytes", rfc);
            if (count == items.Length) Array.Resize(ref items, count * 2);
            items[count++] = item;
        }
        if (count != items.Length) Array.Resize(ref items, count);
        list = new ValueList<T>(items);
        return true;
    }

    /// <summary><c>T field&lt;0..2^(8*width)-1&gt;</c>: a length prefix, then elements filling exactly that many bytes.</summary>
    public bool VectorList<T>(string field, int width, string rfc, ElementReader<T> readElement, out ValueList<T> list)
    {
        list = ValueList<T>.Empty;
        return Enter(field, width, rfc, out var saved)
            && List(field, rfc, readElement, out list)
            && Leave(field, saved, rfc);
    }

    /// <summary>A list of fixed-size elements: the byte length must be a whole number of them.</summary>
    public bool FixedList(string field, int elementSize, string rfc, out ValueList<Opaque> list)
    {
        list = ValueList<Opaque>.Empty;
        int len = _end - _pos;
        if (len % elementSize != 0)
            return Reject(field, _pos, $"list length {len} is not a whole number of {elementSize}-byte elements", rfc);
        var items = new Opaque[len / elementSize];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = new Opaque(_memory.Slice(_pos, elementSize));
            _pos += elementSize;
        }
        list = items.Length == 0 ? ValueList<Opaque>.Empty : new ValueList<Opaque>(items);
        return true;
    }

    /// <summary>The path of a vector's length prefix; a list element that is itself a vector passes "".</summary>
    private static string LengthOf(string field) => field.Length == 0 ? "length" : field + ".length";

    internal static string Hex(ulong v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);
}

public delegate bool ElementReader<T>(ref WireReader reader, out T value);
