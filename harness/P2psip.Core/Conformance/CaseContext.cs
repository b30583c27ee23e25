using System.Security.Cryptography;
using System.Text;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Sut;
using P2psip.Messages;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Conformance;

/// <summary>
/// What a case's code works with: the lab (identities of the overlay the harness operates), the
/// SUT's endpoint, a random source seeded from the run's seed and the case's ID (so a case reruns
/// alone with the same choices), the evidence log, and helpers that open probe links and build
/// requests. Links the case opens are closed when it ends.
/// </summary>
public sealed class CaseContext : IAsyncDisposable
{
    private readonly List<ProbeLink> _links = [];
    private readonly List<HarnessPeer> _peers = [];

    public CaseContext(ConformanceCase @case, CertificationLab lab, ISystemUnderTest sut, int seed, CaseTimeouts timeouts, CancellationToken cancel, int attempt = 0,
        string? captureDirectory = null)
    {
        CapturePath = captureDirectory is null ? null : Path.Combine(captureDirectory, $"{@case.Id}{(attempt > 0 ? $".rerun{attempt}" : "")}.pcap");
        Case = @case;
        Lab = lab;
        Sut = sut;
        Seed = seed;
        Timeouts = timeouts;
        Cancel = cancel;
        Attempt = attempt;
        // The automatic rerun draws afresh (new transaction ids and users), deterministically: a SUT's
        // replay cache must not answer the rerun from the first attempt's memory.
        Random = new Random(CaseSeed(seed, @case.Id) ^ attempt * 0x2545F491);
        Evidence = new EvidenceLog();
    }

    public ConformanceCase Case { get; }
    public CertificationLab Lab { get; }
    public ISystemUnderTest Sut { get; }
    public SutEndpoint Endpoint => Sut.Endpoint;
    public int Seed { get; }

    /// <summary>Where this case's capture is written, when captures are on; it exists once a link was opened.</summary>
    public string? CapturePath { get; }
    private Capture.PcapStreamWriter? _capture;

    /// <summary>A capture handler for one more link of this case (null when captures are off or cannot be written).</summary>
    private Links.ILinkHandler? CaptureHandler()
    {
        if (CapturePath is null) return null;
        lock (_links)
        {
            if (_capture is null)
            {
                try
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(CapturePath)!);
                    _capture = Capture.PcapStreamWriter.Create(CapturePath);
                }
                catch (Exception e) when (e is Capture.CaptureFileException or IOException or UnauthorizedAccessException)
                {
                    Evidence.Note($"no capture for this case: {e.Message}");
                    return null;
                }
            }
            // Real addresses and times of each link (the listening side as port 6084 for Wireshark).
            return new Capture.StreamCaptureHandler(_capture);
        }
    }

    /// <summary>Whether a capture file was written for this case.</summary>
    public bool Captured => _capture is not null;

    /// <summary>0 for the first run of the case, 1 for the automatic rerun of a failure.</summary>
    public int Attempt { get; }
    public CaseTimeouts Timeouts { get; }
    public CancellationToken Cancel { get; }
    public Random Random { get; }
    public EvidenceLog Evidence { get; }

    /// <summary>The SUT's Node-ID: known from the lab, or proved by its certificate on the first link.</summary>
    public Opaque SutNodeId => Endpoint.NodeId ?? _links.Select(l => l.SutNodeId).FirstOrDefault(id => id.Length > 0);

    public uint OverlayHash => Factory.OverlayHash;
    public ushort ConfigurationSequence => Factory.ConfigurationSequence;

    /// <summary>Builds and signs requests with this case's random source.</summary>
    public MessageFactory Factory => _messages ??= new MessageFactory(Lab, Endpoint with { NodeId = SutNodeId }, Random);
    private MessageFactory? _messages;

    /// <summary>Per-case seed: the run's seed mixed with the case ID (stable across processes, unlike string.GetHashCode).</summary>
    public static int CaseSeed(int seed, string caseId)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{caseId}"));
        return BitConverter.ToInt32(digest, 0);
    }

    public ulong NewTransactionId() => Factory.NewTransactionId();

    /// <summary>Opens a link to the SUT as <paramref name="identity"/> (the run's probe identity by default).</summary>
    /// <param name="anonymous">Present no client certificate at all (TR-1b), instead of defaulting to the probe's.</param>
    public async Task<ProbeLink> ConnectAsync(Identity? identity = null, string party = "probe", bool expectNodeId = true, bool anonymous = false)
    {
        var link = await ProbeLink.ConnectAsync(Endpoint, Lab.Validator, anonymous ? null : identity ?? Lab.Probe, party, Evidence, Timeouts.Connect, Cancel, expectNodeId,
            CaptureHandler()).ConfigureAwait(false);
        lock (_links) _links.Add(link);
        return link;
    }

    /// <summary>Opens a link to <paramref name="endpoint"/> instead of the SUT (a relay in front of it), as the probe.</summary>
    public async Task<ProbeLink> ConnectViaAsync(System.Net.IPEndPoint endpoint, Identity? identity = null, string party = "probe")
    {
        var link = await ProbeLink.ConnectAsync(Endpoint with { Address = endpoint }, Lab.Validator, identity ?? Lab.Probe, party, Evidence, Timeouts.Connect, Cancel,
            capture: CaptureHandler()).ConfigureAwait(false);
        lock (_links) _links.Add(link);
        return link;
    }

    /// <summary>
    /// Joins a harness peer with Node-ID <paramref name="nodeId"/> through the SUT, honest or a
    /// persona, optionally with a handler on its links; it leaves when the case ends.
    /// </summary>
    public async Task<HarnessPeer> JoinPeerAsync(string name, byte[] nodeId, Peer.IPeerBehaviour? behaviour = null,
        Func<Links.LinkInfo, Links.ILinkHandler?>? handler = null)
    {
        var identity = Lab.Issue($"{name}.{Case.Id.ToLowerInvariant()}", nodeId);
        var peer = await HarnessPeer.JoinAsync(Lab, Endpoint with { NodeId = SutNodeId }, name, identity, behaviour, handler, Timeouts.Connect * 4,
            line => Evidence.Note($"{name}: {line}")).ConfigureAwait(false);
        lock (_peers) _peers.Add(peer);
        Evidence.Note($"{name}: joined through the SUT as {identity.NodeId.ToHex()}");
        return peer;
    }

    /// <summary>A signed request to the SUT (or <paramref name="destination"/>) from <paramref name="signer"/> (the probe by default).</summary>
    public ReloadMessage Request(MessageBody body, Identity? signer = null, Destination? destination = null,
        Func<ForwardingHeader, ForwardingHeader>? header = null, bool sign = true) =>
        Factory.Request(body, signer ?? Lab.Probe, destination, header, sign);

    public async ValueTask DisposeAsync()
    {
        ProbeLink[] links;
        lock (_links) links = _links.ToArray();
        foreach (var link in links) await link.DisposeAsync().ConfigureAwait(false);
        HarnessPeer[] peers;
        lock (_peers) peers = _peers.ToArray();
        foreach (var peer in peers) await peer.DisposeAsync().ConfigureAwait(false);
        lock (_links) _capture?.Dispose();
    }
}

/// <summary>How long a case waits for each thing; the defaults suit loopback on a loaded 2-core machine.</summary>
public sealed record CaseTimeouts
{
    public TimeSpan Connect { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an answer may take. Also how long silence must last to count as "dropped".</summary>
    public TimeSpan Answer { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The whole case, stimulus and oracle, at most.</summary>
    public TimeSpan Case { get; init; } = TimeSpan.FromSeconds(60);
}
