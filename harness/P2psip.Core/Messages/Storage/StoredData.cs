using P2psip.Messages.Security;
using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The unit of storage (§7), each value signed on its own (§7.1):
/// <code>
///   struct {
///     uint32          length;         // of the rest of the structure
///     uint64          storage_time;   // milliseconds since 1970-01-01 UTC
///     uint32          lifetime;       // seconds
///     StoredDataValue value;
///     Signature       signature;
///   } StoredData;
/// </code>
/// For a Kind whose data model is unknown, <see cref="Value"/> is an <see cref="UninterpretedValue"/>
/// holding value and signature together and <see cref="Signature"/> is null: StoredData's own
/// length is what lets the decoder skip it (§7.4.1.1).
/// </summary>
public sealed record StoredData(ulong StorageTime, uint Lifetime, StoredDataValue Value, Signature? Signature)
{
    internal const string Rfc = "7";

    /// <summary>A StoredData whose value stays opaque (its Kind's model is unknown).</summary>
    public static StoredData Uninterpreted(ulong storageTime, uint lifetime, Opaque valueAndSignature) =>
        new(storageTime, lifetime, new UninterpretedValue(valueAndSignature), null);

    /// <summary>storage_time as a UTC instant.</summary>
    public DateTimeOffset StoredAt => DateTimeOffset.UnixEpoch.AddMilliseconds(StorageTime);

    internal void Write(WireWriter w)
    {
        var length = w.Reserve("length", 4);
        int start = w.Position;
        w.U64("storage_time", StorageTime);
        w.U32("lifetime", Lifetime);
        Value.Write(w);
        Signature?.Write(w);
        w.Fill(length, w.Position - start);
    }

    /// <summary>Reads one StoredData; <paramref name="model"/> is the Kind's data model, null when unknown.</summary>
    internal static bool TryRead(ref WireReader r, DataModel? model, out StoredData value)
    {
        value = null!;
        int lengthAt = r.Position;
        if (!r.U32("length", Rfc, out var length)) return false;
        if (!r.Narrow("length", lengthAt, length, Rfc, out var saved)) return false;
        if (!r.U64("storage_time", Rfc, out var storageTime) || !r.U32("lifetime", Rfc, out var lifetime)) return false;
        if (model is not { } known)
        {
            value = Uninterpreted(storageTime, lifetime, r.Rest());
            r.Leave("length", saved, Rfc);
            return true;
        }
        if (!StoredDataValue.TryRead(ref r, known, out var storedValue)) return false;
        if (!Security.Signature.TryRead(ref r, out var signature)) return false;
        if (!r.AtEnd)
            return r.Reject("length", r.Position, $"{r.Remaining} byte{(r.Remaining == 1 ? "" : "s")} left over after the signature, inside the StoredData's length", Rfc);
        r.Leave("length", saved, Rfc);
        value = new StoredData(storageTime, lifetime, storedValue, signature);
        return true;
    }

    /// <summary>An <see cref="ElementReader{T}"/> for lists of StoredData of one Kind.</summary>
    internal static ElementReader<StoredData> ElementReader(DataModel? model) =>
        (ref WireReader r, out StoredData value) => TryRead(ref r, model, out value);

    public override string ToString() => $"stored {StorageTime} lifetime {Lifetime}s {Value}";
}
