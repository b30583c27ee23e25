using FsCheck.Xunit;
using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Peer;
using static P2psip.Tests.PeerStorage.StorageKit;

namespace P2psip.Tests.PeerStorage;

/// <summary>Properties over arbitrary sequences of Stores to one value (storage_time and generation, §7.4.1.1).</summary>
public class StoreSequenceProperties
{
    /// <summary>
    /// Whatever order storage times arrive in, a Store is accepted iff its time is not older than the
    /// held one (equal only as an identical replay, which changes nothing), the held value is always
    /// the newest accepted, and the generation counter counts the changes.
    /// </summary>
    [Property(MaxTest = 200)]
    public bool Storage_time_never_rolls_back_and_the_generation_counts_changes(byte[] times)
    {
        // Signatures and access control off: this property is about the ordering rules only.
        var engine = Engine(DefenceSwitches.AllOn.Disable(DefenceSwitches.DataSignatures, DefenceSwitches.AccessControl));
        var resource = UserResource(Alice, PrivateSingle);
        ulong? held = null;
        ulong changes = 0;
        foreach (var t in times)
        {
            var value = new StoredData(t, 3600, Single($"at {t}"), Signature.Unsigned);
            var answer = engine.Store(StoreOf(resource, PrivateSingle, value), From(Alice));
            bool newer = held is null || t > held;
            bool replay = held == t;
            if (newer) { held = t; changes++; }
            bool ok = answer switch
            {
                StoreAns ans => (newer || replay) && ans.KindResponses[0].GenerationCounter == changes,
                ErrorResponse { ErrorCode: ErrorCodes.DataTooOld } => !newer && !replay,
                _ => false,
            };
            if (!ok) return false;
        }
        var fetched = Fetched(engine, resource, PrivateSingle, SingleValueSpecifier.Instance).Values[0];
        return held is null ? !fetched.Value.Data!.Exists : fetched.StorageTime == held && fetched.Value == Single($"at {held}");
    }
}
