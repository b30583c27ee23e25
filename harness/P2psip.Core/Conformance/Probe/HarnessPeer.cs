using P2psip.Links;
using P2psip.Peer;
using P2psip.Peer.Live;
using P2psip.Security;

namespace P2psip.Conformance.Probe;

/// <summary>
/// A reference peer of the harness placed on the ring at a Node-ID the operator chose, joined
/// through the SUT (§10.5), honest or a persona (<see cref="IPeerBehaviour"/>), with optional link
/// handlers to observe or change what crosses its links (the SUT as forwarder, UN-2). It leaves
/// when the case ends.
/// </summary>
public sealed class HarnessPeer : IAsyncDisposable
{
    private HarnessPeer(LivePeer peer, string name)
    {
        Peer = peer;
        Name = name;
    }

    public LivePeer Peer { get; }
    public string Name { get; }
    public Identity Identity => Peer.Options.Identity;

    public static async Task<HarnessPeer> JoinAsync(CertificationLab lab, SutEndpoint sut, string name, Identity identity, IPeerBehaviour? behaviour,
        Func<LinkInfo, ILinkHandler?>? handler, TimeSpan timeout, Action<string>? log = null)
    {
        if (sut.Transport is SutTransport.InsecureTcpUnframed)
            throw new ProbeConnectException(ProbeConnectFailure.Refused, "harness peers do not speak unframed RELOAD");
        var peer = LivePeer.Create(new LivePeerOptions
        {
            Configuration = lab.Configuration,
            Identity = identity,
            Bootstrap = Messages.IpAddressPort.From(sut.Address),
            Transport = sut.Transport switch
            {
                SutTransport.Dtls => LinkTransport.Dtls,
                SutTransport.InsecureTcp => LinkTransport.InsecureTcp,
                _ => LinkTransport.Tls,
            },
            Defences = sut.Transport.IsSecure() ? DefenceSwitches.AllOn : DefenceSwitches.AllOn.Disable(DefenceSwitches.TlsOnly),
            ReliabilityTimerMillis = 1000,
            Behaviour = behaviour ?? HonestBehaviour.Instance,
            Log = log,
        });
        if (handler is not null) peer.Links.AddHandler(handler);
        try
        {
            await peer.StartAsync(timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            peer.Crash();
            throw new ProbeConnectException(ProbeConnectFailure.Timeout, $"harness peer {name} could not join through the SUT: {e.Message}", e);
        }
        return new HarnessPeer(peer, name);
    }

    public async ValueTask DisposeAsync()
    {
        try { await Peer.LeaveAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException) { Peer.Crash(); }
    }
}
