using System.Buffers.Binary;
using P2psip.Wire;

namespace P2psip.Peer.Chord;

/// <summary>
/// A point on the CHORD-RELOAD ring: a Node-ID or Resource-ID as a 128-bit unsigned number, with
/// all arithmetic modulo 2^128 (§10.1, §10.2: Resource-IDs are 128 bits). Shorter ids are padded
/// with zeros on the right, longer ones keep their 128 most significant bits.
/// </summary>
public readonly record struct RingId(UInt128 Value) : IComparable<RingId>
{
    public const int Bytes = 16;

    /// <summary>The wildcard Node-ID, all ones (§6.1.1): every peer is responsible for it.</summary>
    public static RingId Wildcard { get; } = new(UInt128.MaxValue);

    public static RingId From(ReadOnlySpan<byte> id)
    {
        Span<byte> buffer = stackalloc byte[Bytes];
        buffer.Clear();
        id[..Math.Min(id.Length, Bytes)].CopyTo(buffer);
        return new RingId(BinaryPrimitives.ReadUInt128BigEndian(buffer));
    }

    public static RingId From(Opaque id) => From(id.Span);

    public byte[] ToBytes()
    {
        var bytes = new byte[Bytes];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Value);
        return bytes;
    }

    public Opaque ToOpaque() => ToBytes();

    /// <summary>Clockwise distance from this point to <paramref name="to"/> (mod 2^128).</summary>
    public UInt128 DistanceTo(RingId to) => unchecked(to.Value - Value);

    public RingId Add(UInt128 offset) => new(unchecked(Value + offset));

    /// <summary>x ∈ (from, to] going clockwise; the whole ring when from == to.</summary>
    public static bool InHalfOpen(RingId x, RingId from, RingId to) =>
        from == to || (x.Value != from.Value && from.DistanceTo(x) <= from.DistanceTo(to));

    /// <summary>x ∈ (from, to) going clockwise; everything but from when from == to.</summary>
    public static bool InOpen(RingId x, RingId from, RingId to) =>
        x != from && (from == to || from.DistanceTo(x) < from.DistanceTo(to));

    /// <summary>2^(128-i), the offset of the i'th finger (i = 1 is half way round, §10.5).</summary>
    public static UInt128 FingerOffset(int i) => UInt128.One << (128 - i);

    public int CompareTo(RingId other) => Value.CompareTo(other.Value);

    public override string ToString() => Value.ToString("x32");
}
