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

/// <summary>What one case did and how the SUT was afterwards.</summary>
public sealed record FuzzCaseOutcome(FuzzCaseId Id, string Digest, IReadOnlyList<string> Mutations, IReadOnlyList<SentMessage> Sent,
    LivenessResult Liveness, TimeSpan Duration)
{
    public bool Alive => Liveness.IsAlive;
}

/// <summary>
/// Runs one case: each party that speaks opens its own link, the session's messages go out in order
/// (signed by their sender; a mutated message that still decodes is signed afresh unless
/// <c>--no-resign</c>), a Ping on every link waits until the SUT has taken them, the links close,
/// and the liveness probe (Ping on a fresh link, Fetch of the canary) says whether the SUT survived.
/// </summary>
public sealed class FuzzCaseRunner(CertificationLab lab, FuzzParties parties, SessionGenerator generator, CaseTimeouts timeouts, bool resign)
{
    public Task<FuzzCaseOutcome> RunAsync(FuzzCaseId id, SutEndpoint sut, Canary? canary, CancellationToken cancel) =>
        RunAsync(generator.Generate(id), sut, canary, cancel);

    /// <summary>Runs a session as given (a generated case, or a part of one while minimising).</summary>
    public async Task<FuzzCaseOutcome> RunAsync(FuzzSession session, SutEndpoint sut, Canary? canary, CancellationToken cancel)
    {
        var id = session.Id;
        var clock = Stopwatch.StartNew();
        var evidence = new EvidenceLog();
        var sent = session.Messages.Select(m => Materialise(m, resign)).ToList();
        var links = new Dictionary<int, ProbeLink?>();
        try
        {
            foreach (var message in sent)
            {
                if (!links.TryGetValue(message.Party, out var link))
                    links[message.Party] = link = await ConnectAsync(sut, message.Party, evidence, cancel).ConfigureAwait(false);
                if (link is null || link.IsClosed) continue;
                await link.SendRawAsync(message.Bytes).ConfigureAwait(false);
            }
            // Barrier: the SUT answers in order on a link, so a Ping answered means the session was read.
            var factory = new MessageFactory(lab, sut, new Random(id.RandomSeed ^ 0x0ba1));
            foreach (var (party, link) in links)
            {
                if (link is null || link.IsClosed) continue;
                await link.RequestAsync(factory.Request(new PingReq(Wire.Opaque.Empty), parties.Identities[party]), timeouts.Answer).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var link in links.Values)
                if (link is not null) await link.DisposeAsync().ConfigureAwait(false);
        }
        var liveness = await LivenessProbe.CheckAsync(lab, sut, canary, timeouts, evidence, cancel, attempts: 2).ConfigureAwait(false);
        return new FuzzCaseOutcome(id, session.Digest(), session.Mutations, sent, liveness, clock.Elapsed);
    }

    private async Task<ProbeLink?> ConnectAsync(SutEndpoint sut, int party, EvidenceLog evidence, CancellationToken cancel)
    {
        try
        {
            return await ProbeLink.ConnectAsync(sut, lab.Validator, parties.Identities[party], FuzzParties.Names[party], evidence, timeouts.Connect, cancel).ConfigureAwait(false);
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
