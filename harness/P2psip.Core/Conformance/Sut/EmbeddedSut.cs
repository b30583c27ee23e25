using System.Net;
using P2psip.Conformance.Probe;
using P2psip.Peer;
using P2psip.Peer.Live;

namespace P2psip.Conformance.Sut;

/// <summary>
/// The reference peer in this process (the default SUT): a <see cref="LivePeer"/> on 127.0.0.1 with
/// the lab's SUT identity, started as the first peer of the lab's overlay, with the defences given
/// (the self-test switches them off one at a time).
/// </summary>
public sealed class EmbeddedSut : ISystemUnderTest, ISutDriver
{
    private readonly CertificationLab _lab;
    private readonly DefenceSwitches _defences;
    private readonly SutTransport _transport;
    private readonly List<string> _log = [];
    private LivePeer? _peer;
    private IPEndPoint _listen = new(IPAddress.Loopback, 0);

    public EmbeddedSut(CertificationLab lab, DefenceSwitches defences, SutTransport transport = SutTransport.Tls)
    {
        if (transport == SutTransport.InsecureTcpUnframed)
            throw new SutSetupException("the reference peer does not speak unframed RELOAD; use --transport tls, dtls or insecure-tcp");
        _lab = lab;
        _defences = defences;
        // The tls-only vulnerable variant speaks what a lax third-party peer speaks: plaintext (§6.6, TR-1a).
        _transport = transport == SutTransport.Tls && !defences.IsOn(DefenceSwitches.TlsOnly) ? SutTransport.InsecureTcp : transport;
    }

    public string Kind => "embedded";
    public string Description => $"embedded reference peer {_lab.SutIdentity.NodeId.ToHex()} ({_defences})" + (InjectedFault is { } f ? $" with INJECTED FAULT {f.Name}" : "");
    public SutEndpoint Endpoint { get; private set; } = new(new IPEndPoint(IPAddress.Loopback, 0), SutTransport.Tls, null);
    public IReadOnlyList<string> DisabledDefences => _defences.Disabled.Select(d => d.Name).ToList();
    public bool CanRestart => true;

    /// <summary>TEST-ONLY (issue 12): a defect planted in the reference for the network fuzzer to find.</summary>
    public InjectedFault? InjectedFault { get; init; }
    public bool? HasExited => _peer is null ? null : _peer.Peer.State is PeerState.Stopped;

    /// <summary>The running peer, for the tests of the harness itself (never for oracles: they observe from outside).</summary>
    public LivePeer? Peer => _peer;

    public IReadOnlyList<string> RecentOutput
    {
        get { lock (_log) return _log.TakeLast(20).ToArray(); }
    }

    public async Task StartAsync(CancellationToken cancel)
    {
        try
        {
            _peer = LivePeer.Create(new LivePeerOptions
            {
                Configuration = _lab.Configuration,
                Identity = _lab.SutIdentity,
                Listen = _listen,
                Transport = _transport switch
                {
                    SutTransport.Dtls => LinkTransport.Dtls,
                    SutTransport.InsecureTcp => LinkTransport.InsecureTcp,
                    _ => LinkTransport.Tls,
                },
                Defences = _defences,
                InjectedFault = InjectedFault,
                ReliabilityTimerMillis = 1000,
                Log = Remember,
            });
        }
        catch (ArgumentException e)
        {
            throw new SutSetupException($"the embedded reference peer cannot start: {e.Message}", e);
        }
        await _peer.StartAsync().WaitAsync(cancel).ConfigureAwait(false);
        var address = _peer.Address.ToEndPoint() ?? throw new SutSetupException("the embedded reference peer has no IP address");
        // Restarts listen on the same port, so evidence and rerun lines keep one address.
        _listen = address;
        Endpoint = new SutEndpoint(address, _transport, _lab.SutIdentity.NodeId);
    }

    public async Task RestartAsync(CancellationToken cancel)
    {
        _peer?.Crash();
        _peer = null;
        // The port was ours a moment ago; the OS may take a moment to release it.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await StartAsync(cancel).ConfigureAwait(false);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 20)
            {
                await Task.Delay(100, cancel).ConfigureAwait(false);
            }
        }
    }

    public Task<Peer.Transport.RequestOutcome> RequestAsync(Messages.Destination destination, Messages.MessageBody request) =>
        (_peer ?? throw new InvalidOperationException("the embedded SUT is not running")).Peer.SendAsync(destination, request);

    /// <summary>A redundant lookup (default paths) when the redundant-lookups defence is on, a plain one when it is off.</summary>
    public Task<Peer.Lookup.LookupResult> LookupAsync(Messages.Storage.FetchReq fetch)
    {
        var peer = _peer ?? throw new InvalidOperationException("the embedded SUT is not running");
        return peer.Peer.LookupAsync(fetch, P2psip.Peer.Lookup.LookupMode.Redundant(), peer.Storage.KnownCertificates);
    }

    private void Remember(string line)
    {
        lock (_log)
        {
            _log.Add(line);
            if (_log.Count > 200) _log.RemoveRange(0, 100);
        }
    }

    public ValueTask DisposeAsync()
    {
        _peer?.Crash();
        _peer = null;
        return ValueTask.CompletedTask;
    }
}
