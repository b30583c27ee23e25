using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Peer.Storage;

public sealed partial class StorageEngine
{
    /// <summary>
    /// Fetch (§7.4.2): one FetchKindResponse per specifier, with the Kind's generation counter; no values
    /// when the request's nonzero generation equals the stored one; synthetic nonexistent values
    /// (unsigned, §7.4.2.2) for what is asked but not held.
    /// </summary>
    public MessageBody Fetch(FetchReq request, StorageRequest context)
    {
        if (UnknownKindsIn(request.Specifiers) is { } unknown) return unknown;
        lock (_lock)
        {
            PurgeExpired(request.Resource, context.NowMilliseconds);
            var responses = new List<FetchKindResponse>();
            int synthetic = Limits.MaxSyntheticValuesPerAnswer;
            foreach (var specifier in request.Specifiers)
            {
                var slot = SlotOf(request.Resource, specifier.Kind);
                ulong generation = slot?.Generation ?? 0;
                if (specifier.Generation != 0 && specifier.Generation == generation)
                {
                    responses.Add(new FetchKindResponse(specifier.Kind, generation, ValueList<StoredData>.Empty));
                    continue;
                }
                if (Select(slot, specifier, ref synthetic, out var values) is { } problem) return problem;
                responses.Add(new FetchKindResponse(specifier.Kind, generation, values.ToArray()));
            }
            return new FetchAns(responses.ToArray());
        }
    }

    /// <summary>
    /// Stat (§7.4.3): the same selection as Fetch, each value described by its length and a SHA-256
    /// digest of its length-prefixed bytes (<see cref="MetaData.Of"/>) instead of the value itself.
    /// </summary>
    public MessageBody Stat(StatReq request, StorageRequest context)
    {
        if (UnknownKindsIn(request.Specifiers) is { } unknown) return unknown;
        lock (_lock)
        {
            PurgeExpired(request.Resource, context.NowMilliseconds);
            var responses = new List<StatKindResponse>();
            int synthetic = Limits.MaxSyntheticValuesPerAnswer;
            foreach (var specifier in request.Specifiers)
            {
                var slot = SlotOf(request.Resource, specifier.Kind);
                ulong generation = slot?.Generation ?? 0;
                if (specifier.Generation != 0 && specifier.Generation == generation)
                {
                    responses.Add(new StatKindResponse(specifier.Kind, generation, ValueList<StoredMetaData>.Empty));
                    continue;
                }
                if (Select(slot, specifier, ref synthetic, out var values) is { } problem) return problem;
                var metadata = values.Select(MetaDataOf).OfType<StoredMetaData>().ToArray();
                responses.Add(new StatKindResponse(specifier.Kind, generation, metadata));
            }
            return new StatAns(responses.ToArray());
        }
    }

    private static StoredMetaData? MetaDataOf(StoredData data) => data.Value switch
    {
        SingleValueEntry s => new StoredMetaData(data.StorageTime, data.Lifetime, new SingleValueEntryMeta(MetaData.Of(s.Value))),
        ArrayEntry a => new StoredMetaData(data.StorageTime, data.Lifetime, new ArrayEntryMeta(a.Index, MetaData.Of(a.Value))),
        DictionaryEntry d => new StoredMetaData(data.StorageTime, data.Lifetime, new DictionaryEntryMeta(d.Key, MetaData.Of(d.Value))),
        _ => null, // a value of unknown model has no DataValue to describe
    };

    /// <summary>Fetch and Stat "SHOULD reject requests corresponding to unknown Kinds" (§7.4.2.1) with Error_Unknown_Kind (§7.4.1.2).</summary>
    private ErrorResponse? UnknownKindsIn(ValueList<StoredDataSpecifier> specifiers)
    {
        if (!On(DefenceSwitches.KindCheck)) return null;
        var unknown = specifiers.Select(s => s.Kind).Where(k => !Kinds.ContainsKey(k)).ToList();
        return unknown.Count > 0 ? StorageErrors.UnknownKinds(unknown) : null;
    }

    private KindSlot? SlotOf(Opaque resource, uint kind) =>
        _resources.TryGetValue(resource, out var slots) && slots.TryGetValue(kind, out var slot) ? slot : null;

    /// <summary>A value the peer does not hold: exists = False, signed by nobody (§7.4.2.2).</summary>
    private static StoredData Nonexistent(StoredDataValue value) => new(0, 0, value, Signature.Unsigned);

    /// <summary>The values a specifier names (§7.4.2.1), in the order it names them.</summary>
    private static ErrorResponse? Select(KindSlot? slot, StoredDataSpecifier specifier, ref int synthetic, out List<StoredData> values)
    {
        values = [];
        var entries = slot?.Entries ?? [];
        switch (specifier.ModelSpecifier)
        {
            case SingleValueSpecifier:
                values.Add(entries.TryGetValue(EntryKey.Single, out var single) ? single.Data : Nonexistent(new SingleValueEntry(DataValue.Nonexistent)));
                return null;

            case ArraySpecifier { Indices: var ranges }:
                {
                    // "The first integer MUST be less than or equal to the second. ... they MUST NOT overlap" (§7.4.2.1).
                    foreach (var range in ranges)
                        if (range.First > range.Last) return StorageErrors.InvalidMessage($"array range {range} runs backwards (§7.4.2.1)");
                    var sorted = ranges.OrderBy(r => r.First).ToList();
                    for (int i = 1; i < sorted.Count; i++)
                        if (sorted[i].First <= sorted[i - 1].Last) return StorageErrors.InvalidMessage($"array ranges {sorted[i - 1]} and {sorted[i]} overlap (§7.4.2.1)");
                    uint length = slot?.ArrayLength() ?? 0;
                    foreach (var range in ranges)
                    {
                        if (length == 0 || range.First >= length) continue;
                        ulong last = Math.Min(range.Last, length - 1); // 0xffffffff is "the final element"
                        var held = entries.Where(e => e.Key.Model == DataModel.Array && e.Key.Index >= range.First && e.Key.Index <= last)
                            .OrderBy(e => e.Key.Index).ToList();
                        // Gaps of a sparse array come back as nonexistent values (§7.2.2), as many as the bound allows.
                        ulong cursor = range.First;
                        foreach (var (key, entry) in held)
                        {
                            for (; cursor < key.Index && synthetic > 0; cursor++, synthetic--)
                                values.Add(Nonexistent(new ArrayEntry((uint)cursor, DataValue.Nonexistent)));
                            values.Add(entry.Data);
                            cursor = (ulong)key.Index + 1;
                        }
                        for (; cursor <= last && synthetic > 0; cursor++, synthetic--)
                            values.Add(Nonexistent(new ArrayEntry((uint)cursor, DataValue.Nonexistent)));
                    }
                    return null;
                }

            case DictionarySpecifier { Keys: var keys }:
                if (keys.Count == 0)
                {
                    // No keys: a wildcard fetch of every key-value pair (§7.4.2.1).
                    values.AddRange(entries.Where(e => e.Key.Model == DataModel.Dictionary)
                        .OrderBy(e => e.Key.Key.ToHex(), StringComparer.Ordinal).Select(e => e.Value.Data));
                    return null;
                }
                foreach (var key in keys)
                    values.Add(entries.TryGetValue(EntryKey.Of(key), out var entry) ? entry.Data : Nonexistent(new DictionaryEntry(key, DataValue.Nonexistent)));
                return null;

            default:
                // A Kind whose model the decoder did not know: everything held for it.
                values.AddRange(entries.Values.Select(e => e.Data));
                return null;
        }
    }
}
