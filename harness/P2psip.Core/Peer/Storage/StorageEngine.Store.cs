using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.Storage;

public sealed partial class StorageEngine
{
    /// <summary>
    /// Store (§7.4.1): every check of §7.4.1.1 on every value first, then all values applied to staged
    /// copies of their Kinds, committed only when every Kind succeeded ("These operations MUST be
    /// atomic"). A replica Store (replica_number &gt; 0) is also how replicas and handed-over data are
    /// imported (§10.4, §10.5).
    /// </summary>
    public MessageBody Store(StoreReq request, StorageRequest context)
    {
        ulong now = context.NowMilliseconds;
        bool replica = request.ReplicaNumber != 0;
        Opaque resource = request.Resource.ToArray();

        // §7.4.1.1: responsible for the resource when replica_number is 0; a plausible sender otherwise.
        if (!replica && !Responsibility.IsResponsibleFor(resource))
            return StorageErrors.NotFound($"this peer is not responsible for Resource-ID {resource.ToHex()} (§7.4.1.1)");
        if (replica && On(DefenceSwitches.AccessControl) && !Responsibility.AcceptsReplicaFrom(resource, context.RequesterNodeId))
            return StorageErrors.Forbidden($"a replica Store from {context.RequesterNodeId.ToHex()}, which is not a plausible storer of {resource.ToHex()} (§7.4.1.1, §10.4)");

        // "The same Kind-ID MUST NOT be used twice in a given store request" (§7.4.1.1).
        var duplicate = request.KindData.GroupBy(k => k.Kind).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) return StorageErrors.InvalidMessage($"Kind-ID {duplicate.Key} appears twice in the StoreReq (§7.4.1.1)");

        // "Implementations MUST reject requests corresponding to unknown Kinds" and list them all (§7.4.1.1, §7.4.1.2).
        if (On(DefenceSwitches.KindCheck))
        {
            var unknown = request.KindData.Select(k => k.Kind).Where(k => !Kinds.ContainsKey(k)).ToList();
            if (unknown.Count > 0) return StorageErrors.UnknownKinds(unknown);
        }

        // max-message-size (§11.1): measured on the whole message when the peer tells, else on the body.
        if (On(DefenceSwitches.Quotas))
        {
            long size = context.MessageLength > 0 ? context.MessageLength : BodySize(request);
            if (size > MaxMessageSize)
                return StorageErrors.MessageTooLarge($"the request is {size} bytes, more than max-message-size {MaxMessageSize} (§11.1)");
        }

        IReadOnlyList<ReloadCertificate>? bucket = null;
        foreach (var kindData in request.KindData)
        {
            Kinds.TryGetValue(kindData.Kind, out var kind);
            // "Replica Stores MUST NOT use a generation counter of 0" (§7.4.1.1).
            if (replica && kindData.GenerationCounter == 0)
                return StorageErrors.InvalidMessage($"a replica Store with generation counter 0 for Kind {kindData.Kind} (§7.4.1.1)");
            for (int i = 0; i < kindData.Values.Count; i++)
            {
                var problem = CheckValue(resource, kindData.Kind, kind, kindData.Values[i], replica, context, ref bucket);
                if (problem is not null) return problem;
            }
        }

        lock (_lock)
        {
            PurgeExpired(resource, now);
            _resources.TryGetValue(resource, out var slots);

            // Generation counters (§7.4.1.1, §7.4.1.2): a nonzero counter in an original Store must equal the
            // stored one, otherwise the whole request fails and error_info carries every Kind's counter.
            if (!replica && On(DefenceSwitches.GenerationCounter)
                && request.KindData.Any(k => k.GenerationCounter != 0 && k.GenerationCounter != GenerationOf(slots, k.Kind)))
            {
                var current = request.KindData.Select(k => new StoreKindResponse(k.Kind, GenerationOf(slots, k.Kind), ValueList<Opaque>.Empty)).ToArray();
                return StorageErrors.GenerationCounterTooLow(new StoreAns(current));
            }

            string storer = replica ? "" : StorerOf(context);
            long deltaBytes = 0;
            int deltaValues = 0;
            var storerDeltas = new Dictionary<string, (int Values, long Bytes)>(StringComparer.Ordinal);
            void Account(string who, int values, long bytes)
            {
                var (v, b) = storerDeltas.GetValueOrDefault(who);
                storerDeltas[who] = (v + values, b + bytes);
            }

            var staged = new List<(uint Kind, KindSlot Slot)>();
            foreach (var kindData in request.KindData)
            {
                Kinds.TryGetValue(kindData.Kind, out var kind);
                KindSlot? live = null;
                slots?.TryGetValue(kindData.Kind, out live);
                var slot = live?.Clone() ?? new KindSlot();
                bool changed = false;
                foreach (var incoming in kindData.Values)
                {
                    var data = Detach(incoming);
                    EntryKey key;
                    switch (data.Value)
                    {
                        case SingleValueEntry: key = EntryKey.Single; break;
                        case ArrayEntry entry:
                            // An append replayed byte for byte would add a copy at a new index: the same signed
                            // value already in the array makes it a no-op, like any other replay.
                            if (entry.Index == ArrayEntry.Append && slot.Entries.Values.Any(e => e.Data.Value is ArrayEntry held
                                && data with { Value = entry with { Index = held.Index } } == e.Data))
                                continue;
                            // Index 0xffffffff appends: the value lands at the array's end and is served with that index (§7.4.1.1).
                            uint index = entry.Index == ArrayEntry.Append ? slot.ArrayLength() : entry.Index;
                            if (entry.Index == ArrayEntry.Append) data = data with { Value = entry with { Index = index } };
                            key = EntryKey.At(index);
                            break;
                        case DictionaryEntry entry: key = EntryKey.Of(entry.Key); break;
                        default: key = EntryKey.Uninterpreted; break;
                    }

                    slot.Entries.TryGetValue(key, out var old);
                    if (old is not null)
                    {
                        // The very same StoredData again (a retransmission or a replay) changes nothing.
                        if (old.Data == data) continue;
                        // storage_time must be newer than the value it replaces: no rollback (§7, §7.4.1.1, UN-3).
                        if (On(DefenceSwitches.StorageTime) && data.StorageTime <= old.Data.StorageTime)
                            return StorageErrors.DataTooOld(
                                $"storage_time {data.StorageTime} is not after the stored value's {old.Data.StorageTime} (Kind {kindData.Kind}, §7.4.1.1)");
                    }

                    // The lifetime runs from the time the peer receives the StoreReq (§7).
                    var stored = new StoredEntry(data, now + (ulong)data.Lifetime * 1000, storer, Cost(data), replica);
                    slot.Entries[key] = stored;
                    changed = true;
                    deltaBytes += stored.Bytes - (old?.Bytes ?? 0);
                    deltaValues += old is null ? 1 : 0;
                    if (!replica) Account(storer, 1, stored.Bytes);
                    if (old is { IsReplica: false }) Account(old.Storer, -1, -old.Bytes);
                }

                // max-count (§11.1): values of the Kind at this resource; for an array, its length, so that a
                // store far past the end cannot make a huge sparse array (§7.2.2).
                if (On(DefenceSwitches.Quotas) && kind is not null)
                {
                    long count = kind.Model == DataModel.Array ? Math.Max(slot.Entries.Count, slot.ArrayLength()) : slot.Entries.Count;
                    if (count > kind.MaxCount)
                        return StorageErrors.DataTooLarge($"Kind {kindData.Kind} would hold {count} values at this resource, more than max-count {kind.MaxCount} (§11.1)");
                }

                // A replica Store sets the counter from the message; an original one that changed data increases it (§7.4.1.1).
                if (replica) slot.Generation = kindData.GenerationCounter;
                else if (changed) slot.Generation++;
                if (live is null && slot.Entries.Count == 0) continue;
                staged.Add((kindData.Kind, slot));
            }

            // The per-storer quota (quotas defence, TR-5): one user flooding cannot crowd out the others.
            if (!replica && On(DefenceSwitches.Quotas) && storerDeltas.TryGetValue(storer, out var mine) && (mine.Values > 0 || mine.Bytes > 0))
            {
                var (values, bytes) = _storers.GetValueOrDefault(storer);
                if (values + mine.Values > Limits.MaxValuesPerStorer || bytes + mine.Bytes > Limits.MaxBytesPerStorer)
                    return StorageErrors.DataTooLarge($"{storer} would hold {values + mine.Values} values / {bytes + mine.Bytes} bytes here, " +
                        $"more than this peer's quota of {Limits.MaxValuesPerStorer} values / {Limits.MaxBytesPerStorer} bytes per storer");
            }

            // The engine's hard bound holds whatever the switches (issue 4: memory per peer stays bounded).
            if ((deltaBytes > 0 && _totalBytes + deltaBytes > Limits.MaxTotalBytes) || (deltaValues > 0 && _totalValues + deltaValues > Limits.MaxTotalValues))
                return StorageErrors.DataTooLarge($"this peer's storage is full ({_totalValues} values, {_totalBytes} bytes; bounds {Limits.MaxTotalValues} values, {Limits.MaxTotalBytes} bytes)");

            // Commit.
            if (staged.Count > 0)
            {
                if (slots is null) _resources[resource] = slots = new Dictionary<uint, KindSlot>();
                foreach (var (kindId, slot) in staged) slots[kindId] = slot;
            }
            _totalBytes += deltaBytes;
            _totalValues += deltaValues;
            foreach (var (who, (values, bytes)) in storerDeltas) AddStorer(who, values, bytes);

            var replicas = Responsibility.ReplicasFor(resource);
            return new StoreAns(request.KindData.Select(k => new StoreKindResponse(k.Kind, GenerationOf(slots, k.Kind), replicas)).ToArray());
        }
    }

    /// <summary>
    /// The per-value checks of §7.4.1.1, each behind its switch: the data model of the Kind
    /// (kind-check), the StoredData signature (data-signatures), the access-control policy for the
    /// value's signer and, for original stores, the StoreReq's signer (access-control, §7.3), and
    /// max-size (quotas). Null when the value passes.
    /// </summary>
    private ErrorResponse? CheckValue(Opaque resource, uint kindId, StorageKind? kind, StoredData value, bool replica,
        StorageRequest context, ref IReadOnlyList<ReloadCertificate>? bucket)
    {
        if (On(DefenceSwitches.KindCheck) && (kind?.Model is not { } model || value.Value.Model != model))
            return StorageErrors.InvalidMessage(
                $"a {value.Value.Model?.ToString() ?? "uninterpreted"} value for Kind {kindId}, whose data model is {kind?.Model?.ToString() ?? "unknown"} (§7.2, §7.4.1.1)");

        ReloadCertificate? signer = null;
        Opaque signerNodeId = Opaque.Empty;
        if (On(DefenceSwitches.DataSignatures))
        {
            // Values signed as "none" or {0, 0} are only ever synthesized by a storing peer (§7.4.1.1).
            if (value.Signature is not { } signature || signature.Identity.IdentityType == SignerIdentity.NoneType
                || (signature.Algorithm.Hash == SignatureAndHashAlgorithm.HashNone && signature.Algorithm.Signature == SignatureAndHashAlgorithm.SignatureAnonymous))
                return StorageErrors.Forbidden($"a value of Kind {kindId} carries no signature a storing peer can verify (§7.1, §7.4.1.1)");
            bucket ??= MessageSigner.ParseAll(context.CertificateBucket);
            // The signer's certificate must chain to the overlay's root (§7.1, §11.3): a neighbour
            // replicating a value cannot vouch for it, so replicas are checked the same way (§10.4).
            var check = MessageSigner.VerifyStoredData(resource, kindId, value, bucket, KnownCertificates, Validator);
            if (!check.Valid) return StorageErrors.Forbidden($"the signature of a value of Kind {kindId} does not verify: {check.Failure} (§7.1)");
            // "the current time MUST be compared to the certificate validity period" (§7.1).
            var at = context.Now.UtcDateTime;
            if (at < check.Certificate!.Certificate.NotBefore.ToUniversalTime() || at > check.Certificate.Certificate.NotAfter.ToUniversalTime())
                return StorageErrors.Forbidden($"the certificate that signed a value of Kind {kindId} is not valid now (§7.1)");
            signer = check.Certificate;
            signerNodeId = check.SignerNodeId;
        }
        else if (value.Signature is { Identity.IdentityType: SignerIdentity.CertHash or SignerIdentity.CertHashNodeId } unverified)
        {
            // Without the check, the identity the signature names is still who the value claims to be from.
            bucket ??= MessageSigner.ParseAll(context.CertificateBucket);
            signer = CertificateStore.Find(unverified.Identity, bucket, out var nodeId)
                ?? (KnownCertificates is null ? null : CertificateStore.Find(unverified.Identity, KnownCertificates.All, out nodeId));
            if (signer is not null) signerNodeId = nodeId ?? (signer.NodeIds.Count > 0 ? signer.NodeIds[0] : Opaque.Empty);
        }
        if (signer is null && context.Requester is not null)
        {
            signer = context.Requester;
            signerNodeId = context.RequesterNodeId;
        }

        if (On(DefenceSwitches.AccessControl) && kind is not null)
        {
            // "both the signer of the StoredValue and the signer of the StoreReq MUST conform to the policy" (§7.3).
            if (signer is null) return StorageErrors.Forbidden($"nobody identifiable signed a value of Kind {kindId} (§7.3)");
            if (AccessControl.Check(kind, resource, value.Value, signer, signerNodeId) is { } refusal)
                return StorageErrors.Forbidden($"the value's signer may not write Kind {kindId} here: {refusal}");
            if (!replica)
            {
                if (context.Requester is null) return StorageErrors.Forbidden("the StoreReq's signer is unknown (§7.3)");
                if (AccessControl.Check(kind, resource, value.Value, context.Requester, context.RequesterNodeId) is { } requestRefusal)
                    return StorageErrors.Forbidden($"the StoreReq's signer may not write Kind {kindId} here: {requestRefusal}");
            }
        }

        // max-size: "the maximum size of individual values" (§11.1), the DataValue's value bytes.
        if (On(DefenceSwitches.Quotas) && kind is not null && value.Value.Data is { } data && data.Value.Length > kind.MaxSize)
            return StorageErrors.DataTooLarge($"a value of {data.Value.Length} bytes for Kind {kindId}, whose max-size is {kind.MaxSize} (§7.4.1.2, §11.1)");
        return null;
    }

    private static ulong GenerationOf(Dictionary<uint, KindSlot>? slots, uint kind) =>
        slots is not null && slots.TryGetValue(kind, out var slot) ? slot.Generation : 0;

    /// <summary>Whom an original store is charged to: the requester's user name, else its Node-ID.</summary>
    private static string StorerOf(StorageRequest context) =>
        context.Requester?.UserName is { } user ? "user:" + user : "node:" + context.RequesterNodeId.ToHex();

    private static int BodySize(MessageBody body)
    {
        var w = new WireWriter(256);
        body.WriteFields(w);
        return w.Position;
    }
}
