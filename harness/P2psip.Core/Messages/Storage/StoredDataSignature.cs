using P2psip.Messages.Security;
using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// What a StoredData's signature covers (§7.1):
/// <code>  resource_id || kind || storage_time || StoredDataValue || SignerIdentity</code>
/// resource_id is the Resource-ID's bytes (without ResourceId's length prefix), kind the 4-byte
/// Kind-ID, storage_time the 8-byte value, StoredDataValue and SignerIdentity their wire encodings
/// (§6.3.4). For an array entry the index is set to zero first, so that a value appended with
/// index 0xffffffff verifies at whatever index it lands (§7.4.2.2).
/// </summary>
public static class StoredDataSignature
{
    /// <summary>The bytes to sign or verify for <paramref name="data"/> stored at <paramref name="resourceId"/> under <paramref name="kind"/>.</summary>
    public static byte[] Input(Opaque resourceId, uint kind, StoredData data, SignerIdentity identity) =>
        Input(resourceId, kind, data.StorageTime, data.Value, identity);

    public static byte[] Input(Opaque resourceId, uint kind, ulong storageTime, StoredDataValue value, SignerIdentity identity)
    {
        if (value is UninterpretedValue)
            throw new ArgumentException("the value of a Kind whose data model is unknown cannot be signed or verified", nameof(value));
        var signed = value is ArrayEntry entry ? entry with { Index = 0 } : value;
        var w = new WireWriter(64 + resourceId.Length);
        w.Bytes("resource_id", resourceId.Span);
        w.U32("kind", kind);
        w.U64("storage_time", storageTime);
        signed.WriteFields(w);
        identity.Write(w);
        return w.ToArray();
    }
}
