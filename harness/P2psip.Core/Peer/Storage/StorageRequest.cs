using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.Storage;

/// <summary>
/// What the storage engine needs to know about a request besides its body: who sent it (already
/// authenticated by the message signature, §6.3.4), the certificates the message carried (to verify
/// StoredData signatures, §7.1), the time it arrived (lifetimes run from then, §7) and this peer's
/// own Node-ID. The engine reads no clock and no network.
/// </summary>
/// <param name="Requester">The certificate of the StoreReq's signer; null when unknown (then original stores fail access control, §7.3).</param>
/// <param name="RequesterNodeId">The Node-ID the requester signed with (for NODE-MATCH and USER-NODE-MATCH, "the one indicated in the SignerIdentity").</param>
/// <param name="CertificateBucket">DER certificates of the message's SecurityBlock (§6.3.4).</param>
/// <param name="Now">The time the peer received the request (the peer passes its IScheduler.Now).</param>
/// <param name="LocalNodeId">This peer's Node-ID.</param>
public sealed record StorageRequest(ReloadCertificate? Requester, Opaque RequesterNodeId, ValueList<Opaque> CertificateBucket, DateTimeOffset Now, Opaque LocalNodeId)
{
    /// <summary>
    /// The size in bytes of the whole received message, for max-message-size (§11.1); 0 when
    /// unknown, in which case the engine measures the encoded body.
    /// </summary>
    public int MessageLength { get; init; }

    /// <summary>Milliseconds since 1970 (the unit of storage_time, §7).</summary>
    public ulong NowMilliseconds => (ulong)Math.Max(0, Now.ToUnixTimeMilliseconds());
}
