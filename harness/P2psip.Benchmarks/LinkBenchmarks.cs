using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using P2psip.Links;
using P2psip.Links.Dtls;
using P2psip.Messages;
using P2psip.Security;

namespace P2psip.Benchmarks;

/// <summary>
/// Handshakes per second and messages per second over one TLS-TCP-FH-NO-ICE link and one
/// DTLS-UDP-SR-NO-ICE link on loopback, with an in-memory link as the baseline in the same run.
/// Identities are ECDSA P-256, enrolled from one in-process CA. A message benchmark sends
/// <see cref="Batch"/> messages of about 300 bytes and receives them at the far end; DTLS is
/// stop-and-wait (§6.6.3.1), measured both with the RFC's 10 ms pause after each ACK and without it.
/// Run: dotnet run -c Release --project harness/P2psip.Benchmarks -- --filter '*LinkBenchmarks*' --inProcess
/// </summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class LinkBenchmarks
{
    public const int Batch = 200;

    private LinkSecurity _server = null!, _client = null!;
    private TlsLinkListener _tlsListener = null!;
    private DtlsLinkListener _dtlsListener = null!, _dtlsRfcListener = null!;
    private IOverlayLink _tlsA = null!, _tlsB = null!, _dtlsA = null!, _dtlsB = null!, _dtlsRfcA = null!, _dtlsRfcB = null!, _memA = null!, _memB = null!;
    private byte[] _message = [];

    private static readonly DtlsLinkOptions NoPause = new() { Rto = TimeSpan.FromMilliseconds(200), AckToNextMessage = TimeSpan.Zero };
    private static readonly DtlsLinkOptions Rfc = new() { Rto = TimeSpan.FromMilliseconds(200) };

    [GlobalSetup]
    public void Setup()
    {
        var ca = EnrollmentAuthority.Create("bench.overlay", maxNodesPerUser: 10);
        ca.AddUser("server@bench.overlay", "pw");
        ca.AddUser("client@bench.overlay", "pw");
        _server = new LinkSecurity(Enroll(ca, "server@bench.overlay"), CertificateValidator.ForRoot(ca.Root, "bench.overlay"));
        _client = new LinkSecurity(Enroll(ca, "client@bench.overlay"), CertificateValidator.ForRoot(ca.Root, "bench.overlay"));
        _tlsListener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), _server);
        _dtlsListener = new DtlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), _server, NoPause);
        _dtlsRfcListener = new DtlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), _server, Rfc);
        (_tlsA, _tlsB) = TlsPair().GetAwaiter().GetResult();
        (_dtlsA, _dtlsB) = DtlsPair(_dtlsListener, NoPause).GetAwaiter().GetResult();
        (_dtlsRfcA, _dtlsRfcB) = DtlsPair(_dtlsRfcListener, Rfc).GetAwaiter().GetResult();
        (_memA, _memB) = InMemoryLink.CreatePair(_client.Identity, _server.Identity);
        _message = ReloadCodec.Encode(new ReloadMessage(
            new ForwardingHeader { Overlay = 0x12345678, TransactionId = 42, DestinationList = [new NodeDestination(new byte[16])] },
            ErrorResponse.Of(ErrorCodes.NotFound, new string('x', 240))));
    }

    private static Identity Enroll(EnrollmentAuthority ca, string user)
    {
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        return new Identity(keys, ReloadCertificate.FromDer(ca.Enroll(user, "pw", CertificateRequests.Create(keys, user))).Certificate);
    }

    private async Task<(IOverlayLink, IOverlayLink)> TlsPair()
    {
        var accepting = _tlsListener.AcceptAsync();
        var a = await TlsLinks.ConnectAsync(_tlsListener.LocalEndpoint, _client);
        return (a, await accepting);
    }

    private async Task<(IOverlayLink, IOverlayLink)> DtlsPair(DtlsLinkListener listener, DtlsLinkOptions options)
    {
        var a = await DtlsLinks.ConnectAsync(listener.LocalEndpoint, _client, null, options);
        return (a, await listener.AcceptAsync());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var link in new[] { _tlsA, _tlsB, _dtlsA, _dtlsB, _dtlsRfcA, _dtlsRfcB, _memA, _memB })
            link.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _tlsListener.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _dtlsListener.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _dtlsRfcListener.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "TLS handshake (mutual, ECDSA P-256)")]
    public async Task TlsHandshake()
    {
        var (a, b) = await TlsPair();
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Benchmark(Description = "DTLS 1.2 handshake (mutual, ECDSA P-256)")]
    public async Task DtlsHandshake()
    {
        var (a, b) = await DtlsPair(_dtlsListener, NoPause);
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "message over in-memory link")]
    public Task InMemoryMessages() => Messages(_memA, _memB);

    [Benchmark(OperationsPerInvoke = Batch, Description = "message over TLS link")]
    public Task TlsMessages() => Messages(_tlsA, _tlsB);

    [Benchmark(OperationsPerInvoke = Batch, Description = "message over DTLS+SR link, no pause after ACK")]
    public Task DtlsMessages() => Messages(_dtlsA, _dtlsB);

    [Benchmark(OperationsPerInvoke = Batch, Description = "message over DTLS+SR link, RFC 10 ms pause after ACK")]
    public Task DtlsRfcPacedMessages() => Messages(_dtlsRfcA, _dtlsRfcB);

    private async Task Messages(IOverlayLink from, IOverlayLink to)
    {
        var receiving = Task.Run(async () =>
        {
            for (int i = 0; i < Batch; i++)
                if (await to.ReceiveAsync() is null) throw new InvalidOperationException("link closed");
        });
        for (int i = 0; i < Batch; i++) await from.SendAsync(_message);
        await receiving;
    }
}
