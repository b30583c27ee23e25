using P2psip.Adversary;
using System.Diagnostics;
using P2psip.Capture;
using P2psip.Conformance;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Sut;
using P2psip.Messages;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Replay;

/// <summary>
/// Replays the requests of a capture onto a started target: in captured order, at the captured
/// pace scaled by <see cref="ReplayOptions.Speed"/> (each request waits for the previous one's answer
/// too, so a Fetch never overtakes the Store it followed), each captured sender on a probe link of
/// its own with a lab identity that has the captured signer's Node-ID and user name — the target
/// checks that a message's signer is its link's Node-ID (§13.6.3), and access control (§7.3) looks
/// at both. Every answer is compared with the captured one by <see cref="AnswerComparer"/>.
/// </summary>
public sealed class ReplayRunner(CertificationLab lab, ISystemUnderTest target, ReplayOptions options)
{
    private readonly Dictionary<string, (ProbeLink Link, Identity Identity)> _senders = [];
    private readonly EvidenceLog _evidence = new();

    /// <param name="recording">Where the replay's own messages go (both ways, every link), or null.</param>
    public async Task<ReplayReport> RunAsync(ReplayCapture capture, PcapStreamWriter? recording = null, Action<ReplayOutcome>? progress = null,
        CancellationToken cancel = default)
    {
        var endpoint = target.Endpoint;
        var targetNodeId = endpoint.NodeId ?? Opaque.Empty;
        var factory = new MessageFactory(lab, endpoint, new Random(options.Seed));
        var rebuilder = new RequestRebuilder(options.Rewrites, factory.OverlayHash, factory.ConfigurationSequence, targetNodeId,
            capture.ResponderNodeIds, factory.NewTransactionId, endpoint.Transport.IsSecure());
        var comparer = new AnswerComparer(capture.ResponderNodeIds, targetNodeId);
        var outcomes = new List<ReplayOutcome>();
        try
        {
            var clock = Stopwatch.StartNew();
            long start = capture.Exchanges[0].TimestampMicros;
            foreach (var exchange in capture.Exchanges)
            {
                if (!options.AsFastAsPossible)
                {
                    var due = TimeSpan.FromTicks((long)((exchange.TimestampMicros - start) * 10 / options.Speed));
                    var wait = due - clock.Elapsed;
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, cancel).ConfigureAwait(false);
                }
                var capturedSigner = ReplayCapture.SignerCertificate(exchange.Request);
                var (link, identity) = await SenderAsync(exchange.Sender, capturedSigner, endpoint, recording, cancel).ConfigureAwait(false);
                var request = rebuilder.Rebuild(exchange.Request, options.Rewrites.HasFlag(ReplayRewrites.Signature) ? identity : null, capturedSigner);
                var reply = await link.RequestAsync(request, options.AnswerTimeout).ConfigureAwait(false);
                var outcome = Compare(exchange, reply, comparer);
                outcomes.Add(outcome);
                progress?.Invoke(outcome);
            }
        }
        finally
        {
            foreach (var (link, _) in _senders.Values) await link.DisposeAsync().ConfigureAwait(false);
            _senders.Clear();
        }
        return new ReplayReport(outcomes);
    }

    private static ReplayOutcome Compare(CapturedExchange exchange, ProbeReply reply, AnswerComparer comparer)
    {
        var captured = exchange.Answer is { } a ? Describe(a) : "no answer";
        if (!reply.IsAnswer)
        {
            var replayed = reply.ToString();
            return exchange.Answer is null
                ? new ReplayOutcome(exchange, ReplayVerdict.Same, captured, replayed, [])
                : new ReplayOutcome(exchange, ReplayVerdict.NoAnswer, captured, replayed, []);
        }
        var answer = reply.Message!;
        if (exchange.Answer is null)
            return new ReplayOutcome(exchange, ReplayVerdict.Different, captured, Describe(answer), ["message_contents"]);
        var differences = comparer.Differences(exchange.Answer, answer);
        return new ReplayOutcome(exchange, differences.Count == 0 ? ReplayVerdict.Same : ReplayVerdict.Different, captured, Describe(answer), differences);
    }

    /// <summary>As the probe prints an answer: the message name, or the error's name and info.</summary>
    private static string Describe(ReloadMessage message) => new ProbeReply(ProbeReplyKind.Answer, message, null, "").ToString();

    /// <summary>The link for a captured sender, opened on first use (and again if the target closed it).</summary>
    private async Task<(ProbeLink Link, Identity Identity)> SenderAsync(string stream, ReloadCertificate? signer, SutEndpoint endpoint,
        PcapStreamWriter? recording, CancellationToken cancel)
    {
        var key = stream + "/" + (signer is { NodeIds.Count: > 0 } ? signer.NodeIds[0].ToHex() : "-");
        if (_senders.TryGetValue(key, out var known) && !known.Link.IsClosed) return known;
        var identity = known.Identity ?? StandIn(signer, _senders.Count + 1);
        if (known.Link is not null) await known.Link.DisposeAsync().ConfigureAwait(false);
        var link = await ProbeLink.ConnectAsync(endpoint, lab.Validator, identity, $"sender{_senders.Count + 1}", _evidence, options.AnswerTimeout, cancel)
            .ConfigureAwait(false);
        if (recording is not null) link.Link.Pipeline.Add(new StreamCaptureHandler(recording));
        _senders[key] = (link, identity);
        return (link, identity);
    }

    /// <summary>
    /// A lab identity standing in for a captured signer: the same Node-ID and user name (so the
    /// access-control rules that hash them, §7.3, decide the same), issued by the lab's CA.
    /// </summary>
    private Identity StandIn(ReloadCertificate? signer, int number)
    {
        if (signer is not { NodeIds.Count: > 0 } || signer.NodeIds[0].Length != lab.Configuration.NodeIdLength)
            return lab.Issue($"replay{number}");
        var user = signer.UserName is { } name && name.Contains('@') ? name : $"replay{number}";
        return lab.Issue(user, signer.NodeIds[0].ToArray());
    }
}
