using FsCheck;
using FsCheck.Fluent;
using P2psip.Wire;

namespace P2psip.Tests.Generators;

/// <summary>Small building blocks for message generators: bytes, ids, lists.</summary>
public static class WireGen
{
    public static Gen<byte> AnyByte => Gen.Choose(0, 255).Select(i => (byte)i);
    public static Gen<ushort> AnyUInt16 => Gen.Choose(0, 0xFFFF).Select(i => (ushort)i);
    public static Gen<uint> AnyUInt32 => from hi in AnyUInt16 from lo in AnyUInt16 select (uint)hi << 16 | lo;
    public static Gen<ulong> AnyUInt64 => from hi in AnyUInt32 from lo in AnyUInt32 select (ulong)hi << 32 | lo;
    public static Gen<bool> AnyBool => Gen.Elements(false, true);

    /// <summary>Bytes of a length in [min, max].</summary>
    public static Gen<Opaque> Bytes(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(AnyByte, n)).Select(a => new Opaque(a));

    public static Gen<Opaque> NodeId(int nodeIdLength) => Bytes(nodeIdLength, nodeIdLength);

    /// <summary>A short list (0..max elements) with value equality.</summary>
    public static Gen<ValueList<T>> List<T>(Gen<T> element, int max = 3) =>
        Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(element, n)).Select(a => new ValueList<T>(a));

    /// <summary>A non-zero value of a one-byte enum whose zero is invalid.</summary>
    public static Gen<byte> NonZeroByte => Gen.Choose(1, 255).Select(i => (byte)i);
}
