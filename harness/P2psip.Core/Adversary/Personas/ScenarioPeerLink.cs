using P2psip.Links;
using P2psip.Messages;
using P2psip.Peer;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Adversary.Personas;

/// <summary>One link of a <see cref="ScenarioLinkLayer"/>: every message out and in is handed to the layer's engine.</summary>
internal sealed class ScenarioPeerLink(ScenarioLinkLayer layer, IPeerLink inner) : IPeerLink
{
    private Action<IPeerLink, ReadOnlyMemory<byte>>? _received;

    public Opaque RemoteNodeId => inner.RemoteNodeId;
    public ReloadCertificate? RemoteCertificate => inner.RemoteCertificate;
    public IpAddressPort? RemoteAddress => inner.RemoteAddress;
    public bool IsOpen => inner.IsOpen;

    public void Start(Action<IPeerLink, ReadOnlyMemory<byte>> received, Action<IPeerLink> closed)
    {
        _received = received;
        inner.Start((_, message) => layer.Handle(this, LinkDirection.Inbound, message), _ => closed(this));
    }

    public void Send(ReadOnlyMemory<byte> message) => layer.Handle(this, LinkDirection.Outbound, message);

    public void Close() => inner.Close();

    /// <summary>Onto the wire as it is (not decided again).</summary>
    internal void SendRaw(byte[] bytes) => inner.Send(bytes);

    /// <summary>To the peer as it is, while the link is open.</summary>
    internal void DeliverRaw(byte[] bytes)
    {
        if (inner.IsOpen) _received?.Invoke(this, bytes);
    }

    public override string ToString() => $"persona link to {RemoteNodeId.ToHex()}";
}
