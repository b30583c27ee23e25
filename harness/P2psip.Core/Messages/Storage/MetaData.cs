using P2psip.Messages.Security;
using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// What a Stat tells about one DataValue instead of the value itself (§7.4.3.2):
/// <code>
///   struct { Boolean exists; uint32 value_length; HashAlgorithm hash_algorithm; opaque hash_value&lt;0..255&gt;; } MetaData;
/// </code>
/// hash_value is the digest, with hash_algorithm (TLS's HashAlgorithm), of the DataValue's value
/// field including its 4 leading length bytes.
/// </summary>
public sealed record MetaData(bool Exists, uint ValueLength, byte HashAlgorithm, Opaque HashValue)
{
    internal const string Rfc = "7.4.3.2";

    /// <summary>The MetaData of <paramref name="value"/> with a SHA-256 digest over length || value (§7.4.3.2).</summary>
    public static MetaData Of(DataValue value)
    {
        var input = new byte[4 + value.Value.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(input, (uint)value.Value.Length);
        value.Value.Span.CopyTo(input.AsSpan(4));
        return new MetaData(value.Exists, (uint)value.Value.Length, SignatureAndHashAlgorithm.HashSha256, System.Security.Cryptography.SHA256.HashData(input));
    }

    internal void Write(WireWriter w, string name)
    {
        w.Begin(name);
        w.Boolean("exists", Exists);
        w.U32("value_length", ValueLength);
        w.U8("hash_algorithm", HashAlgorithm, FieldKind.Enum, SignatureAndHashAlgorithm.HashName);
        w.Vector("hash_value", 1, HashValue.Span);
        w.End();
    }

    internal static bool TryRead(ref WireReader r, string name, out MetaData value)
    {
        value = null!;
        if (!r.Boolean("exists", Rfc, out var exists)
            || !r.U32("value_length", Rfc, out var valueLength)
            || !r.U8("hash_algorithm", Rfc, out var hashAlgorithm)
            || !r.Vector("hash_value", 1, Rfc, out var hash))
            return r.Nest(name);
        value = new MetaData(exists, valueLength, hashAlgorithm, hash);
        return true;
    }

    public override string ToString() => $"{(Exists ? "exists" : "nonexistent")} {ValueLength} bytes {SignatureAndHashAlgorithm.HashName(HashAlgorithm)} {HashValue}";
}
