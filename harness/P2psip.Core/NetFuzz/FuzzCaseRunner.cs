using System.Diagnostics;
using P2psip.Conformance;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Running;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Security;
using P2psip.Security;

namespace P2psip.NetFuzz;

/// <summary>A message as it went on the wire.</summary>
public sealed record SentMessage(int Party, string Label, byte[] Bytes, bool Resigned);

/// <summary>
/// A case ready to send: the session, its digest, its messages as they go on the wire, and the
/// requests that follow it, signed already: a barrier Ping per party that speaks in it, and the
/// liveness probe's Ping and canary Fetch.
/// </summary>
public sealed record PreparedCase(FuzzSession Session, string Digest, IReadOnlyList<SentMessage> Sent,
    IReadOnlyList<ReloadMessage?> Barriers, LivenessRequests Liveness);

/// <summary>What one case did and how the SUT was afterwards.</summary>
public sealed record FuzzCaseOutcome(FuzzCaseId Id, string Digest, IReadOnlyList<string> Mutations, IReadOnlyList<SentMessage> Sent,
    LivenessResult Liveness, TimeSpan Duration)
{
    public bool Alive => Liveness.IsAlive;
}

/// <summary>
/// Runs one case: the session's messages go out in order, each party on its own link (signed by
/// their sender; a mutated message that still decodes is signed afresh unless <c>--no-resign</c>),
/// a Ping on every link the case used waits until the SUT has taken them, and the liveness probe
/// (Ping and Fetch of the canary on the probe's own link, never used by a case) says whether the
/// SUT survived. Generator 2: the links stay open from case to case while they are healthy (a TLS
/// handshake per party per case cost more than the case itself): open and the barrier answered. A
/// SUT that took a party for a neighbour sends it requests (Updates, replicas, Attaches, forwarded
/// requests, §10.7, §10.4): the party answers them (<see cref="PartyAnswers"/>), so they neither
/// time out in the SUT nor break the link. A link that broke (the SUT closed it, or the barrier
/// went unanswered) is closed, its party's next case opens a new one, and the probe's next link is
/// a new one too (the SUT may still route the canary Fetch through the link it has not yet seen
/// close); every <see cref="FreshLivenessEvery"/> cases the probe's link is a new one, so a SUT that
/// stopped accepting links is caught too. <see cref="Prepare(FuzzCaseId)"/> makes and signs a case
/// without touching a link, so a campaign prepares case N+1 while case N runs.
/// </summary>
public sealed class FuzzCaseRunner(CertificationLab lab, FuzzParties parties, SessionGenerator generator, CaseTimeouts timeouts, bool resign)
    : IAsyncDisposable
{
    public const int FreshLivenessEvery = 256;

    /// <summary>
    /// How long the barrier Ping waits: a barrier that times out only costs that link (it is closed,
    /// the party's next case opens a new one); the liveness probe still waits its full deadline.
    /// </summary>
    public static readonly TimeSpan BarrierTimeout = TimeSpan.FromMilliseconds(250);

    private readonly ProbeLink?[] _links = new ProbeLink?[parties.Count];
    private readonly EvidenceLog _evidence = new();
    private ProbeLink? _liveness;
    private MessageFactory? _prepareFactory;
    private SutEndpoint? _endpoint;
    private MessageFactory? _factory;
    private long _livenessUses;

    public Task<FuzzCaseOutcome> RunAsync(FuzzCaseId id, SutEndpoint sut, Canary? canary, CancellationToken cancel) =>
        RunAsync(Prepare(id, canary), sut, canary, cancel);

    /// <summary>Runs a session as given (a generated case, or a part of one while minimising).</summary>
    public Task<FuzzCaseOutcome> RunAsync(FuzzSession session, SutEndpoint sut, Canary? canary, CancellationToken cancel) =>
        RunAsync(Prepare(session, canary), sut, canary, cancel);

    /// <summary>
    /// Generates case <paramref name="id"/> and signs its messages and the requests after them: no
    /// link or SUT involved, so a campaign prepares the next case while the SUT works on this one
    /// (signing is most of the harness's work per case).
    /// </summary>
    public PreparedCase Prepare(FuzzCaseId id, Canary? canary) => Prepare(generator.Generate(id), canary);

    public PreparedCase Prepare(FuzzSession session, Canary? canary)
    {
        var sent = session.Messages.Select(m => Materialise(m, resign)).ToList();
        // Their own random source: the requests' transaction ids are not part of a case (its digest).
        var factory = _prepareFactory ??= new MessageFactory(lab, generator.Sut, new Random(0x0ba2));
        var barriers = new ReloadMessage?[parties.Count];
        foreach (var m in sent) barriers[m.Party] ??= factory.Request(new PingReq(Wire.Opaque.Empty), parties.Identities[m.Party]);
        return new PreparedCase(session, session.Digest(), sent, barriers, LivenessProbe.Requests(lab, factory, canary));
    }

    /// <summary>Runs a prepared case.</summary>
    public async Task<FuzzCaseOutcome> RunAsync(PreparedCase prepared, SutEndpoint sut, Canary? canary, CancellationToken cancel)
    {
        var (session, digest, sent, barrierPings, livenessRequests) = prepared;
        var id = session.Id;
        var clock = Stopwatch.StartNew();
        if (_endpoint != sut)
        {
            await DropLinksAsync().ConfigureAwait(false);
            _factory = null;
        }
        _endpoint = sut;
        var factory = _factory ??= new MessageFactory(lab, sut, new Random(0x0ba1));
        var used = new bool[parties.Count];
        var refused = new bool[parties.Count];
        foreach (var message in sent)
        {
            int party = message.Party;
            if (_links[party] is { IsClosed: true } gone)
            {
                await gone.DisposeAsync().ConfigureAwait(false);
                _links[party] = null;
            }
            if (_links[party] is null && !refused[party])
            {
                _links[party] = await ConnectAsync(sut, party, factory, cancel).ConfigureAwait(false);
                refused[party] = _links[party] is null;
            }
            if (_links[party] is not { IsClosed: false } link) continue;
            used[party] = true;
            await link.SendRawAsync(message.Bytes).ConfigureAwait(false);
        }
        // Barrier: the SUT answers in order on a link, so a Ping answered means the session was read.
        var barriers = new Task<ProbeReply>?[parties.Count];
        for (int party = 0; party < parties.Count; party++)
        {
            if (!used[party] || _links[party] is not { IsClosed: false } link) continue;
            var ping = barrierPings[party] ?? factory.Request(new PingReq(Wire.Opaque.Empty), parties.Identities[party]);
            barriers[party] = link.RequestAsync(ping, BarrierTimeout < timeouts.Answer ? BarrierTimeout : timeouts.Answer);
        }
        bool dropped = false;
        for (int party = 0; party < parties.Count; party++)
        {
            if (_links[party] is not { } link) continue;
            bool answered = barriers[party] is not { } barrier || (await barrier.ConfigureAwait(false)).IsAnswer;
            if (answered && !link.IsClosed)
            {
                link.Forget();
                continue;
            }
            // Broken: the SUT closed it or stopped answering on it. Closed on our side too; the party's next case opens a new one.
            dropped = true;
            await link.DisposeAsync().ConfigureAwait(false);
            _links[party] = null;
        }
        var liveness = await LivenessAsync(sut, canary, factory, livenessRequests, fresh: dropped, cancel).ConfigureAwait(false);
        return new FuzzCaseOutcome(id, digest, session.Mutations, sent, liveness, clock.Elapsed);
    }

    /// <summary>Closes every link: after the SUT was restarted, the next case starts on new ones.</summary>
    public async Task DropLinksAsync()
    {
        for (int i = 0; i < _links.Length; i++)
        {
            if (_links[i] is { } link) await link.DisposeAsync().ConfigureAwait(false);
            _links[i] = null;
        }
        if (_liveness is not null) await _liveness.DisposeAsync().ConfigureAwait(false);
        _liveness = null;
    }

    public ValueTask DisposeAsync() => new(DropLinksAsync());

    /// <summary>
    /// Ping and Fetch of the canary, pipelined, on the probe's link; a second attempt on a new link
    /// (refused, reset, timeout and wrong answer are told apart as the conformance suite does).
    /// </summary>
    private async Task<LivenessResult> LivenessAsync(SutEndpoint sut, Canary? canary, MessageFactory factory, LivenessRequests requests, bool fresh, CancellationToken cancel)
    {
        LivenessResult last = new(Liveness.Timeout, "not tried");
        for (int attempt = 0; attempt < 2; attempt++)
        {
            if (_liveness is { IsClosed: true } || (_liveness is not null && (fresh || attempt > 0 || ++_livenessUses % FreshLivenessEvery == 0)))
            {
                await _liveness.DisposeAsync().ConfigureAwait(false);
                _liveness = null;
            }
            if (_liveness is null)
            {
                try
                {
                    _liveness = await ProbeLink.ConnectAsync(sut, lab.Validator, lab.Probe, "liveness", _evidence, timeouts.Connect, cancel).ConfigureAwait(false);
                }
                catch (ProbeConnectException e)
                {
                    last = LivenessProbe.Of(e);
                    if (last.State == Liveness.Refused && attempt >= 1) return last;
                    continue;
                }
            }
            // The second attempt signs its own requests: the SUT may have seen the first ones' transaction ids.
            var asked = attempt == 0 ? requests : LivenessProbe.Requests(lab, factory, canary);
            last = await LivenessProbe.OnLinkAsync(_liveness, asked, canary, timeouts, pipelined: true).ConfigureAwait(false);
            _liveness.Forget();
            if (last.IsAlive) return last;
        }
        return last;
    }

    private async Task<ProbeLink?> ConnectAsync(SutEndpoint sut, int party, MessageFactory factory, CancellationToken cancel)
    {
        try
        {
            var link = await ProbeLink.ConnectAsync(sut, lab.Validator, parties.Identities[party], FuzzParties.Names[party], _evidence, timeouts.Connect, cancel).ConfigureAwait(false);
            var answers = new PartyAnswers(factory, parties.Identities[party], sut.NodeId ?? link.SutNodeId);
            link.AnswerRequests = answers.To;
            return link;
        }
        catch (ProbeConnectException)
        {
            // The liveness probe that follows says what became of the SUT.
            return null;
        }
    }

    /// <summary>The bytes a planned message goes out as: signed by its party, mutated, re-signed if it still decodes.</summary>
    public SentMessage Materialise(PlannedMessage message, bool resignMutated)
    {
        Identity identity = parties.Identities[message.Party];
        var signed = MessageSigner.Sign(message.Template, identity);
        byte[] bytes = ReloadCodec.Encode(signed, message.WireEdits());
        if (message.Edits.Count == 0 || !resignMutated) return new SentMessage(message.Party, message.Label, bytes, false);
        var decoded = ReloadCodec.DecodeCopy(bytes);
        if (!decoded.IsSuccess) return new SentMessage(message.Party, message.Label, bytes, false);
        try
        {
            // §6.3.4: the signature covers the whole message as it now is, so the checks behind it see the damage.
            var fresh = decoded.Value with { Security = new SecurityBlock([], decoded.Value.Security.Signature) };
            return new SentMessage(message.Party, message.Label, ReloadCodec.Encode(MessageSigner.Sign(fresh, identity)), true);
        }
        catch (Exception e) when (e is Wire.WireEncodeException or ArgumentException or InvalidOperationException)
        {
            return new SentMessage(message.Party, message.Label, bytes, false);
        }
    }
}

