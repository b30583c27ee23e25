using P2psip.Adversary;
using P2psip.Capture;
using P2psip.Conformance;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Running;
using P2psip.Conformance.Sut;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Replay;

/// <summary>How a scenario's steps are run.</summary>
public sealed record StepRunOptions
{
    /// <summary>How long to wait for each answer (and for a liveness probe's).</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Seed of the new transaction ids and of the identities' derived Node-IDs (the scenario's seed, when it has one, drives its rules).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where the identities' key and certificate files are (the scenario file's directory).</summary>
    public string? BaseDirectory { get; init; }
}

/// <summary>
/// Runs a scenario's steps against a started target (<c>p2psip scenario run</c>): each step's
/// message is composed (<see cref="StepMessages"/>), rebuilt for the target by
/// <see cref="RequestRebuilder"/> with the step's rewrites — as <c>p2psip replay</c> rebuilds a
/// captured request, the scenario's responders taking the captured SUT's place — and sent on a
/// probe link of its sender's own (the target checks a message's signer is its link's Node-ID,
/// §13.6.3). The answer is checked against the step's expectation; a captured answer is compared
/// by <see cref="AnswerComparer"/>. With rules, an <see cref="AdversaryEngine"/> sits on every step
/// link, so the rules act on the steps' messages both ways. A liveness expectation sends a Ping
/// on every open link first (the target answers in order, so the step was read), then runs the
/// conformance runner's liveness probe.
/// </summary>
public sealed class ScenarioStepRunner(CertificationLab lab, ISystemUnderTest target, StepRunOptions options)
{
    private readonly Dictionary<string, ProbeLink> _links = new(StringComparer.Ordinal);
    private readonly EvidenceLog _evidence = new();

    public async Task<StepReport> RunAsync(Scenario scenario, PcapStreamWriter? recording = null, Action<StepOutcome>? progress = null,
        CancellationToken cancel = default)
    {
        var endpoint = target.Endpoint;
        var targetNodeId = endpoint.NodeId ?? Opaque.Empty;
        var factory = new MessageFactory(lab, endpoint, new Random(options.Seed));
        var identities = ScenarioIdentities.Resolve(scenario, lab.Ca, (ulong)options.Seed, options.BaseDirectory);
        var responders = scenario.Responders.ToHashSet();
        var comparer = new AnswerComparer(responders, targetNodeId);
        var engine = scenario.Rules.Count == 0 ? null
            : new AdversaryEngine(scenario, new AdversaryEngineOptions { Seed = scenario.Seed ?? (ulong)options.Seed, Identities = identities });
        Identity? standIn = null;
        var outcomes = new List<StepOutcome>();
        try
        {
            for (int i = 0; i < scenario.Steps.Count; i++)
            {
                var step = scenario.Steps[i];
                var sender = step.From ?? "";
                var identity = step.From is { } from ? identities[from] : standIn ??= lab.Issue("scenario");
                var outcome = await RunStepAsync(i + 1, step, scenario, identity, sender, factory, responders, targetNodeId, comparer, engine, recording, endpoint, cancel)
                    .ConfigureAwait(false);
                outcomes.Add(outcome);
                progress?.Invoke(outcome);
            }
        }
        finally
        {
            foreach (var link in _links.Values) await link.DisposeAsync().ConfigureAwait(false);
            _links.Clear();
        }
        return new StepReport(outcomes);
    }

    private async Task<StepOutcome> RunStepAsync(int index, ScenarioStep step, Scenario scenario, Identity identity, string sender, MessageFactory factory,
        IReadOnlySet<Opaque> responders, Opaque targetNodeId, AnswerComparer comparer, AdversaryEngine? engine, PcapStreamWriter? recording,
        SutEndpoint endpoint, CancellationToken cancel)
    {
        var expect = step.Expect;
        var expected = Describe(expect);
        ComposedStep composed;
        try { composed = StepMessages.Compose(step.Send, factory.Header(identity)); }
        catch (ArgumentException e) { return new StepOutcome(index, step, ReplayVerdict.Different, expected, "not sent: " + e.Message, ["send"]); }

        byte[] bytes = composed.Bytes;
        ulong transactionId;
        if (composed.Model is { } model)
        {
            var rebuilder = new RequestRebuilder(step.Rewrites, factory.OverlayHash, factory.ConfigurationSequence, targetNodeId, responders,
                factory.NewTransactionId, endpoint.Transport.IsSecure());
            var request = rebuilder.Rebuild(model, step.Rewrites.HasFlag(ReplayRewrites.Signature) ? identity : null, ReplayCapture.SignerCertificate(model));
            bytes = ReloadCodec.Encode(request);
            transactionId = request.Header.TransactionId;
        }
        else
        {
            // Bytes that do not decode go as they are; their header may still carry a transaction id to wait on.
            transactionId = ForwardingHeaderView.TryRead(bytes, null, out var view, out _) ? view.TransactionId : 0;
        }

        ProbeLink link;
        try { link = await LinkAsync(sender, identity, endpoint, engine, recording, cancel).ConfigureAwait(false); }
        catch (ProbeConnectException e)
        {
            // A target that no longer takes links has failed liveness, whatever the step wanted.
            var refused = $"no link: {e.Message}";
            return expect is { Liveness: StepLiveness.Lost }
                ? new StepOutcome(index, step, ReplayVerdict.Same, expected, refused, [])
                : new StepOutcome(index, step, ReplayVerdict.NoAnswer, expected, refused, []);
        }

        var differences = new List<string>();
        string observed;
        var verdict = ReplayVerdict.Same;
        if (expect is null || expect.Answer == StepAnswer.Unspecified && expect.Liveness is not null)
        {
            await link.SendRawAsync(bytes).ConfigureAwait(false);
            observed = "sent";
        }
        else
        {
            var reply = expect.Answer == StepAnswer.None
                ? await link.RequestExpectingSilenceAsync(bytes, transactionId, factory.Request(new PingReq(Opaque.Empty), identity), options.AnswerTimeout).ConfigureAwait(false)
                : await link.RequestRawAsync(bytes, transactionId, options.AnswerTimeout).ConfigureAwait(false);
            observed = reply.ToString();
            verdict = Judge(expect, reply, scenario, comparer, differences);
        }

        if (expect?.Liveness is { } wanted)
        {
            var liveness = await LivenessAsync(factory, cancel).ConfigureAwait(false);
            observed += $"; liveness {liveness}";
            if (liveness.IsAlive != (wanted == StepLiveness.Alive))
            {
                differences.Add("liveness");
                if (verdict == ReplayVerdict.Same) verdict = ReplayVerdict.Different;
            }
        }
        return new StepOutcome(index, step, verdict, expected, observed, differences);
    }

    private static ReplayVerdict Judge(StepExpectation expect, ProbeReply reply, Scenario scenario, AnswerComparer comparer, List<string> differences)
    {
        if (!reply.IsAnswer)
            return expect.Answer == StepAnswer.Some ? ReplayVerdict.NoAnswer : ReplayVerdict.Same;
        if (expect.Answer == StepAnswer.None)
        {
            differences.Add("message_contents");
            return ReplayVerdict.Different;
        }
        var answer = reply.Message!;
        if (expect.Code is { } code && answer.MessageCode != code) differences.Add("message_contents.message_code");
        if (expect.ErrorCode is { } error && reply.ErrorCode != error) differences.Add("message_contents.error_response.error_code");
        if (expect.Bytes is { } captured)
        {
            var decoded = ReloadCodec.DecodeCopy(captured.Span);
            if (decoded.IsSuccess) differences.AddRange(comparer.Differences(decoded.Value, answer));
            else differences.Add("expect.hex (the expected answer does not decode)");
        }
        differences.AddRange(StepMessages.FailingTests(scenario, expect.Fields, answer));
        differences = differences.Distinct().ToList();
        return differences.Count == 0 ? ReplayVerdict.Same : ReplayVerdict.Different;
    }

    /// <summary>A Ping on every open step link (the target answers in order: the steps were read), then the liveness probe on a fresh link.</summary>
    private async Task<LivenessResult> LivenessAsync(MessageFactory factory, CancellationToken cancel)
    {
        foreach (var link in _links.Values)
        {
            if (link.IsClosed || link.Identity is null) continue;
            await link.RequestAsync(factory.Request(new PingReq(Opaque.Empty), link.Identity), options.AnswerTimeout).ConfigureAwait(false);
        }
        var timeouts = new CaseTimeouts { Connect = options.AnswerTimeout, Answer = options.AnswerTimeout };
        return await LivenessProbe.CheckAsync(lab, target.Endpoint, null, timeouts, _evidence, cancel, attempts: 2).ConfigureAwait(false);
    }

    /// <summary>The sender's link, opened on first use (and again if the target closed it), with the rules' engine and the recording on it.</summary>
    private async Task<ProbeLink> LinkAsync(string sender, Identity identity, SutEndpoint endpoint, AdversaryEngine? engine, PcapStreamWriter? recording,
        CancellationToken cancel)
    {
        if (_links.TryGetValue(sender, out var known) && !known.IsClosed) return known;
        if (known is not null) await known.DisposeAsync().ConfigureAwait(false);
        var link = await ProbeLink.ConnectAsync(endpoint, lab.Validator, identity, sender.Length == 0 ? "scenario" : sender, _evidence, options.AnswerTimeout, cancel,
            capture: recording is null ? null : new StreamCaptureHandler(recording)).ConfigureAwait(false);
        if (engine is not null) AdversaryLinkTap.Attach(link.Link, engine, identity.NodeId);
        _links[sender] = link;
        return link;
    }

    private static string Describe(StepExpectation? e)
    {
        if (e is null) return "nothing (sent only)";
        var parts = new List<string>();
        if (e.Answer == StepAnswer.None) parts.Add("no answer");
        else if (e.ErrorCode is { } err) parts.Add(ErrorCodes.NameOf(err) ?? $"error 0x{err:x4}");
        else if (e.Code is { } code) parts.Add(MessageCodes.NameOf(code) ?? $"code 0x{code:x4}");
        else if (e.Bytes is { } bytes && ReloadCodec.DecodeCopy(bytes.Span) is { IsSuccess: true } d)
            parts.Add(new ProbeReply(ProbeReplyKind.Answer, d.Value, null, "").ToString());
        else if (e.Answer == StepAnswer.Some) parts.Add("an answer");
        if (e.Fields.Count > 0) parts.Add($"{e.Fields.Count} field test(s)");
        if (e.Liveness is { } l) parts.Add(l == StepLiveness.Alive ? "alive after" : "liveness lost after");
        return parts.Count == 0 ? "anything" : string.Join(", ", parts);
    }
}
