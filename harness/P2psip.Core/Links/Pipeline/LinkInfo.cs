using System.Net;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Links;

/// <summary>Which end opened a link: this one (a client, the initiator) or the far one (this end accepted it).</summary>
public enum LinkRole
{
    Initiator,
    Acceptor,
}

/// <summary>
/// What a pipeline handler knows about its link: the overlay link protocol (§6.6), whether it is
/// secure, which end opened it, and both ends' addresses and Node-IDs (the remote one from its
/// certificate, §6.6.1; empty where a link has none). Addresses are null on in-memory links.
/// </summary>
public sealed record LinkInfo(
    string Protocol,
    bool IsSecure,
    LinkRole Role,
    IPEndPoint? LocalAddress,
    IPEndPoint? RemoteAddress,
    Opaque LocalNodeId,
    Opaque RemoteNodeId,
    ReloadCertificate? RemoteCertificate)
{
    public override string ToString() =>
        $"{Protocol} {(Role == LinkRole.Initiator ? "to" : "from")} {RemoteAddress?.ToString() ?? "(in memory)"} node {(RemoteNodeId.IsEmpty ? "(unknown)" : RemoteNodeId.ToHex())}";

    internal static Opaque NodeIdOf(ReloadCertificate? certificate) =>
        certificate is { NodeIds.Count: > 0 } ? certificate.NodeIds[0] : Opaque.Empty;
}
