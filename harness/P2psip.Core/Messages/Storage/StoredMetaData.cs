using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// A StoredData described without its value or signature (§7.4.3.2):
/// <code>
///   struct { uint32 value_length; uint64 storage_time; uint32 lifetime; MetaDataValue metadata; } StoredMetaData;
/// </code>
/// Its fields "are the same as the corresponding fields in StoredData", so value_length plays
/// StoredData's length: the size of the rest of the structure (Wireshark's reload dissector reads
/// it the same way). It is computed on encode and bounds the metadata on decode, which is what lets
/// the metadata of an unknown Kind be kept opaque.
/// </summary>
public sealed record StoredMetaData(ulong StorageTime, uint Lifetime, MetaDataValue Metadata)
{
    internal const string Rfc = "7.4.3.2";

    internal void Write(WireWriter w)
    {
        var length = w.Reserve("value_length", 4);
        int start = w.Position;
        w.U64("storage_time", StorageTime);
        w.U32("lifetime", Lifetime);
        Metadata.Write(w);
        w.Fill(length, w.Position - start);
    }

    internal static bool TryRead(ref WireReader r, DataModel? model, out StoredMetaData value)
    {
        value = null!;
        int lengthAt = r.Position;
        if (!r.U32("value_length", Rfc, out var length)) return false;
        if (!r.Narrow("value_length", lengthAt, length, Rfc, out var saved)) return false;
        if (!r.U64("storage_time", Rfc, out var storageTime) || !r.U32("lifetime", Rfc, out var lifetime)) return false;
        MetaDataValue metadata;
        if (model is { } known)
        {
            if (!MetaDataValue.TryRead(ref r, known, out metadata)) return false;
            if (!r.AtEnd)
                return r.Reject("value_length", r.Position, $"{r.Remaining} byte{(r.Remaining == 1 ? "" : "s")} left over after the metadata, inside the StoredMetaData's value_length", Rfc);
        }
        else
        {
            metadata = new UninterpretedMeta(r.Rest());
        }
        r.Leave("value_length", saved, Rfc);
        value = new StoredMetaData(storageTime, lifetime, metadata);
        return true;
    }

    internal static ElementReader<StoredMetaData> ElementReader(DataModel? model) =>
        (ref WireReader r, out StoredMetaData value) => TryRead(ref r, model, out value);

    public override string ToString() => $"stored {StorageTime} lifetime {Lifetime}s {Metadata}";
}
