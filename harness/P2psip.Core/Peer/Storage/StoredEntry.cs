using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Peer.Storage;

/// <summary>
/// Where a value sits inside a Kind at a resource (§7.2): the single slot, an array index or a
/// dictionary key. <see cref="Model"/> is null for the value of a Kind whose model is unknown.
/// </summary>
internal readonly record struct EntryKey(DataModel? Model, uint Index, Opaque Key)
{
    public static EntryKey Single { get; } = new(DataModel.SingleValue, 0, Opaque.Empty);
    public static EntryKey Uninterpreted { get; } = new(null, 0, Opaque.Empty);
    public static EntryKey At(uint index) => new(DataModel.Array, index, Opaque.Empty);
    public static EntryKey Of(Opaque key) => new(DataModel.Dictionary, 0, key);
}

/// <summary>
/// One stored value: the StoredData as it will be served (an appended array entry carries the index
/// it landed at, §7.4.1.1), when it expires, who stored it (for the per-storer quota) and what it
/// costs in accounted bytes.
/// </summary>
internal sealed record StoredEntry(StoredData Data, ulong ExpiresAtMilliseconds, string Storer, long Bytes, bool IsReplica)
{
    public bool ExpiredAt(ulong nowMilliseconds) => ExpiresAtMilliseconds <= nowMilliseconds;

    /// <summary>The lifetime left at <paramref name="nowMilliseconds"/>, rounded up to whole seconds (§7.4.1.1: "adjust the lifetime value downward").</summary>
    public uint RemainingLifetime(ulong nowMilliseconds) =>
        ExpiresAtMilliseconds <= nowMilliseconds ? 0 : (uint)Math.Min(uint.MaxValue, (ExpiresAtMilliseconds - nowMilliseconds + 999) / 1000);
}

/// <summary>The values of one Kind at one resource, with the Kind's generation counter there (§7.4.1.1).</summary>
internal sealed class KindSlot
{
    public ulong Generation { get; set; }
    public Dictionary<EntryKey, StoredEntry> Entries { get; }

    public KindSlot() => Entries = new Dictionary<EntryKey, StoredEntry>();

    private KindSlot(ulong generation, Dictionary<EntryKey, StoredEntry> entries)
    {
        Generation = generation;
        Entries = entries;
    }

    /// <summary>A copy to stage a Store in, so that a failing Store leaves the slot as it was (§7.4.1.1: "MUST be atomic").</summary>
    public KindSlot Clone() => new(Generation, new Dictionary<EntryKey, StoredEntry>(Entries));

    /// <summary>One past the highest array index stored: where index 0xffffffff appends (§7.4.1.1).</summary>
    public uint ArrayLength()
    {
        long length = 0;
        foreach (var key in Entries.Keys)
            if (key.Model == DataModel.Array) length = Math.Max(length, (long)key.Index + 1);
        return (uint)Math.Min(length, uint.MaxValue);
    }

    /// <summary>Removes expired values (§7.4.1.3: "simply removed from the storing node"); returns them.</summary>
    public List<StoredEntry> RemoveExpired(ulong nowMilliseconds)
    {
        List<StoredEntry>? expired = null;
        List<EntryKey>? keys = null;
        foreach (var (key, entry) in Entries)
            if (entry.ExpiredAt(nowMilliseconds)) { (keys ??= []).Add(key); (expired ??= []).Add(entry); }
        if (keys is not null) foreach (var key in keys) Entries.Remove(key);
        return expired ?? [];
    }
}
