using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Overlay;
using P2psip.Wire;

namespace P2psip.Peer.Storage;

/// <summary>
/// The reference peer's data store (RFC 6940 §7): answers Store, Fetch, Stat and Find for the three
/// data models, enforcing each defence of <see cref="DefenceSwitches"/> that concerns storage
/// (data-signatures, access-control, kind-check, quotas, storage-time, generation-counter) unless
/// it is switched off, and keeps its memory under <see cref="StorageLimits"/> whatever the switches.
/// It also exports, imports (replica Stores) and drops ranges of the ring for replication and
/// handover (§10.4, §10.5). Network-free and clock-free: the caller passes the time in each
/// <see cref="StorageRequest"/>. Thread-safe (one lock).
/// </summary>
public sealed partial class StorageEngine
{
    private readonly object _lock = new();
    private readonly Dictionary<Opaque, Dictionary<uint, KindSlot>> _resources = new();
    private readonly Dictionary<string, (int Values, long Bytes)> _storers = new(StringComparer.Ordinal);
    private long _totalBytes;
    private int _totalValues;

    public StorageEngine(IReadOnlyDictionary<uint, StorageKind> kinds, uint maxMessageSize, DefenceSwitches defences,
        StorageLimits? limits = null, IStorageResponsibility? responsibility = null)
    {
        Kinds = kinds;
        MaxMessageSize = maxMessageSize;
        Defences = defences;
        Limits = limits ?? StorageLimits.Default;
        Responsibility = responsibility ?? ResponsibleForEverything.Instance;
    }

    /// <summary>An engine for the Kinds and max-message-size of an overlay configuration (§11.1).</summary>
    public StorageEngine(OverlayConfiguration configuration, DefenceSwitches defences, StorageLimits? limits = null, IStorageResponsibility? responsibility = null)
        : this(StorageKind.AllOf(configuration), configuration.MaxMessageSize, defences, limits, responsibility) { }

    public IReadOnlyDictionary<uint, StorageKind> Kinds { get; }
    public uint MaxMessageSize { get; }
    public DefenceSwitches Defences { get; }
    public StorageLimits Limits { get; }
    public IStorageResponsibility Responsibility { get; }

    /// <summary>
    /// Certificates known outside the message (from CERTIFICATE_BY_NODE/USER or links, §8), searched
    /// after the certificate bucket when a StoredData's signer is looked up; null for none.
    /// </summary>
    public Security.CertificateStore? KnownCertificates { get; init; }

    /// <summary>
    /// The overlay's certificate validator (§7.1, §11.3): the certificate that signed a value must
    /// chain to a root-cert, be for this overlay and not name a bad-node, on original and replica
    /// Stores alike (TR-2b, TR-4a). Null checks signatures only (engine unit tests without a PKI).
    /// </summary>
    public Security.CertificateValidator? Validator { get; init; }

    /// <summary>
    /// The Kinds and data models the peer's decoder should read values with, so that the engine and
    /// the codec agree on every configured Kind (a private Kind unknown to the decoder stays opaque).
    /// </summary>
    public KindRegistry Registry
    {
        get
        {
            var registry = KindRegistry.Default;
            foreach (var kind in Kinds.Values)
                if (kind.Model is { } model) registry = registry.With(kind.Id, model);
            return registry;
        }
    }

    /// <summary>Answers a storage request body; other bodies get Error_Invalid_Message.</summary>
    public MessageBody Handle(MessageBody body, StorageRequest request) => body switch
    {
        StoreReq store => Store(store, request),
        FetchReq fetch => Fetch(fetch, request),
        StatReq stat => Stat(stat, request),
        FindReq find => Find(find, request),
        _ => StorageErrors.InvalidMessage($"{body.FieldName} is not a storage request"),
    };

    public StorageUsage Usage
    {
        get { lock (_lock) return new StorageUsage(_resources.Count, _totalValues, _totalBytes); }
    }

    /// <summary>Removes every value whose lifetime has run out at <paramref name="now"/> (§7.4.1.3); returns how many.</summary>
    public int Expire(DateTimeOffset now)
    {
        ulong nowMs = (ulong)Math.Max(0, now.ToUnixTimeMilliseconds());
        lock (_lock)
        {
            int removed = 0;
            foreach (var resource in _resources.Keys.ToList()) removed += PurgeExpired(resource, nowMs);
            return removed;
        }
    }

    /// <summary>
    /// The values whose Resource-ID lies in <paramref name="range"/>, as one StoreReq per resource
    /// ready to send with <paramref name="replicaNumber"/>: to the two successors as replicas (§10.4,
    /// numbers 1 and 2) or to a joining predecessor (§10.5 step 6). Lifetimes are adjusted downward
    /// by the time the values were held here (§7.4.1.1); generation counters are carried (a replica
    /// Store sets them, and must not use 0, §7.4.1.1).
    /// </summary>
    public IReadOnlyList<StoreReq> Export(RingRange range, DateTimeOffset now, byte replicaNumber)
    {
        ulong nowMs = (ulong)Math.Max(0, now.ToUnixTimeMilliseconds());
        lock (_lock)
        {
            var requests = new List<StoreReq>();
            foreach (var resource in _resources.Keys.Where(range.Contains).OrderBy(r => r, OpaqueRingComparer.Instance).ToList())
            {
                PurgeExpired(resource, nowMs);
                if (!_resources.TryGetValue(resource, out var slots)) continue;
                var kindData = new List<StoreKindData>();
                foreach (var (kind, slot) in slots.OrderBy(s => s.Key))
                {
                    if (slot.Entries.Count == 0) continue;
                    var values = slot.Entries.OrderBy(e => e.Key, EntryKeyComparer.Instance)
                        .Select(e => e.Value.Data with { Lifetime = e.Value.RemainingLifetime(nowMs) }).ToArray();
                    kindData.Add(new StoreKindData(kind, Math.Max(1, slot.Generation), values));
                }
                if (kindData.Count > 0) requests.Add(new StoreReq(resource, replicaNumber, kindData.ToArray()));
            }
            return requests;
        }
    }

    /// <summary>Forgets every value whose Resource-ID lies in <paramref name="range"/> (§10.5 step 7: AP "MAY now forget" JN's data); returns how many.</summary>
    public int Drop(RingRange range)
    {
        lock (_lock)
        {
            int dropped = 0;
            foreach (var resource in _resources.Keys.Where(range.Contains).ToList())
            {
                foreach (var slot in _resources[resource].Values)
                    foreach (var entry in slot.Entries.Values) { Release(entry); dropped++; }
                _resources.Remove(resource);
            }
            return dropped;
        }
    }

    /// <summary>The Resource-IDs held, in ring order (for reports and tests).</summary>
    public IReadOnlyList<Opaque> ResourceIds
    {
        get { lock (_lock) return _resources.Keys.OrderBy(r => r, OpaqueRingComparer.Instance).ToList(); }
    }

    private bool On(string defence) => Defences.IsOn(defence);

    private int PurgeExpired(Opaque resource, ulong nowMs)
    {
        if (!_resources.TryGetValue(resource, out var slots)) return 0;
        int removed = 0;
        foreach (var (kind, slot) in slots.ToList())
        {
            foreach (var entry in slot.RemoveExpired(nowMs)) { Release(entry); removed++; }
        }
        // A Kind whose values are all gone keeps its generation counter only while the resource has other data.
        if (slots.Values.All(s => s.Entries.Count == 0)) _resources.Remove(resource);
        return removed;
    }

    private void Release(StoredEntry entry)
    {
        _totalBytes -= entry.Bytes;
        _totalValues--;
        if (!entry.IsReplica) AddStorer(entry.Storer, -1, -entry.Bytes);
    }

    private void AddStorer(string storer, int values, long bytes)
    {
        var (v, b) = _storers.GetValueOrDefault(storer);
        v += values;
        b += bytes;
        if (v <= 0 && b <= 0) _storers.Remove(storer);
        else _storers[storer] = (v, b);
    }

    /// <summary>What a value costs against the limits: its bytes, key, signature and a fixed overhead.</summary>
    private long Cost(StoredData data)
    {
        long bytes = Limits.OverheadPerValue;
        bytes += data.Value switch
        {
            SingleValueEntry s => s.Value.Value.Length,
            ArrayEntry a => a.Value.Value.Length,
            DictionaryEntry d => d.Key.Length + d.Value.Value.Length,
            UninterpretedValue u => u.Bytes.Length,
            _ => 0,
        };
        if (data.Signature is { } signature) bytes += signature.Value.Length + signature.Identity.Hash.Length;
        return bytes;
    }

    /// <summary>
    /// A copy of <paramref name="data"/> that owns its bytes: decoded values are slices of the received
    /// message, and keeping a slice would keep the whole message buffer alive beyond the accounting.
    /// </summary>
    private static StoredData Detach(StoredData data)
    {
        static Opaque Own(Opaque o) => o.IsEmpty ? Opaque.Empty : o.ToArray();
        static DataValue OwnValue(DataValue d) => new(d.Exists, Own(d.Value));
        StoredDataValue value = data.Value switch
        {
            SingleValueEntry s => new SingleValueEntry(OwnValue(s.Value)),
            ArrayEntry a => new ArrayEntry(a.Index, OwnValue(a.Value)),
            DictionaryEntry d => new DictionaryEntry(Own(d.Key), OwnValue(d.Value)),
            UninterpretedValue u => new UninterpretedValue(Own(u.Bytes)),
            _ => data.Value,
        };
        var signature = data.Signature is { } s2
            ? new Signature(s2.Algorithm, s2.Identity with { Hash = Own(s2.Identity.Hash) }, Own(s2.Value))
            : null;
        return new StoredData(data.StorageTime, data.Lifetime, value, signature);
    }

    /// <summary>Orders identifiers numerically (§10.1).</summary>
    private sealed class OpaqueRingComparer : IComparer<Opaque>
    {
        public static OpaqueRingComparer Instance { get; } = new();
        public int Compare(Opaque x, Opaque y) => RingOrder.Compare(x, y);
    }

    /// <summary>Orders entries: single, then array indices ascending, then dictionary keys bytewise.</summary>
    private sealed class EntryKeyComparer : IComparer<EntryKey>
    {
        public static EntryKeyComparer Instance { get; } = new();
        public int Compare(EntryKey x, EntryKey y)
        {
            int model = ((int?)x.Model ?? 0).CompareTo((int?)y.Model ?? 0);
            if (model != 0) return model;
            int index = x.Index.CompareTo(y.Index);
            return index != 0 ? index : x.Key.Span.SequenceCompareTo(y.Key.Span);
        }
    }
}
