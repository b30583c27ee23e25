using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.InMemory;

/// <summary>One peer's end of an <see cref="InMemoryNetwork"/>: its address, its links, and crash/shutdown.</summary>
public sealed class InMemoryLinkLayer : IPeerLinkLayer
{
    private readonly InMemoryNetwork _network;
    private readonly HashSet<SimulatedPeerLink> _links = [];

    internal InMemoryLinkLayer(InMemoryNetwork network, IpAddressPort address, Opaque nodeId, ReloadCertificate? certificate)
    {
        _network = network;
        LocalAddress = address;
        NodeId = nodeId;
        Certificate = certificate;
    }

    public IpAddressPort LocalAddress { get; }

    /// <summary>The simulator's links stand in for TLS-TCP-FH-NO-ICE.</summary>
    public byte LinkProtocol { get; init; } = OverlayLinkType.TlsTcpFhNoIce;
    public Opaque NodeId { get; }
    public ReloadCertificate? Certificate { get; }
    internal Action<IPeerLink>? Accepting { get; private set; }

    public int OpenLinks { get { lock (_links) return _links.Count; } }

    public void Listen(Action<IPeerLink> accepted) => Accepting = accepted;

    public void Connect(IpAddressPort address, Opaque? expectedNodeId, Action<IPeerLink?, string?> done)
    {
        if (_shutDown)
        {
            done(null, "link layer shut down");
            return;
        }
        _network.Connect(this, address, expectedNodeId, done);
    }

    private bool _shutDown;

    /// <summary>Closes every link and stops listening: to the rest of the network this peer has crashed or left.</summary>
    public void Shutdown()
    {
        _shutDown = true;
        Accepting = null;
        _network.Remove(this);
        SimulatedPeerLink[] links;
        lock (_links) { links = _links.ToArray(); _links.Clear(); }
        foreach (var link in links) link.Close();
    }

    internal void Track(SimulatedPeerLink link)
    {
        if (_shutDown) { link.Close(); return; }
        lock (_links) _links.Add(link);
    }

    internal void Untrack(SimulatedPeerLink link)
    {
        lock (_links) _links.Remove(link);
    }
}
