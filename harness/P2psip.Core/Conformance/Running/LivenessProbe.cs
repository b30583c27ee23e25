using P2psip.Conformance.Probe;
using P2psip.Messages;
using P2psip.Messages.Link;

namespace P2psip.Conformance.Running;

/// <summary>How a liveness probe ended (issue 13): alive, or which way the SUT failed it.</summary>
public enum Liveness
{
    Alive,
    /// <summary>The port refuses connections: nothing listens any more.</summary>
    Refused,
    /// <summary>The link came up but the SUT closed or reset it, or the handshake was aborted.</summary>
    Reset,
    /// <summary>No link or no answer within the deadline.</summary>
    Timeout,
    /// <summary>The SUT answered, but not with a PingAns, or the canary is gone.</summary>
    WrongAnswer,
}

/// <summary>The liveness probe's requests: a Ping, and a Fetch of the canary when there is one.</summary>
public sealed record LivenessRequests(ReloadMessage Ping, ReloadMessage? Fetch);

public sealed record LivenessResult(Liveness State, string Detail)
{
    public bool IsAlive => State == Liveness.Alive;
    public override string ToString() => IsAlive ? "alive" : $"{State.ToString().ToLowerInvariant()}: {Detail}";
}

/// <summary>
/// After every case: a Ping on a fresh link, then a Fetch of the canary, each with a deadline and
/// retries (§6.5.3 Ping; §6.4.2 Fetch). Refused, reset, timeout and wrong answer are told apart.
/// </summary>
public static class LivenessProbe
{
    public static async Task<LivenessResult> CheckAsync(CertificationLab lab, SutEndpoint sut, Canary? canary, CaseTimeouts timeouts,
        EvidenceLog evidence, CancellationToken cancel, int attempts = 3)
    {
        LivenessResult last = new(Liveness.Timeout, "not tried");
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            last = await OnceAsync(lab, sut, canary, timeouts, evidence, cancel).ConfigureAwait(false);
            // A refused port will not come back by asking again at once; anything else gets its retries.
            if (last.IsAlive || last.State == Liveness.Refused && attempt >= 1) return last;
        }
        return last;
    }

    private static async Task<LivenessResult> OnceAsync(CertificationLab lab, SutEndpoint sut, Canary? canary, CaseTimeouts timeouts,
        EvidenceLog evidence, CancellationToken cancel)
    {
        ProbeLink link;
        try
        {
            link = await ProbeLink.ConnectAsync(sut, lab.Validator, lab.Probe, "liveness", evidence, timeouts.Connect, cancel).ConfigureAwait(false);
        }
        catch (ProbeConnectException e)
        {
            return Of(e);
        }
        await using (link.ConfigureAwait(false))
            return await OnLinkAsync(lab, link, new MessageFactory(lab, sut, new Random()), canary, timeouts).ConfigureAwait(false);
    }

    /// <summary>A link to the SUT that did not come up, as a liveness result: refused, timeout or reset.</summary>
    public static LivenessResult Of(ProbeConnectException e) => new(e.Failure switch
    {
        ProbeConnectFailure.Refused => Liveness.Refused,
        ProbeConnectFailure.Timeout => Liveness.Timeout,
        _ => Liveness.Reset,
    }, e.Message);

    /// <summary>
    /// Ping, then Fetch of the canary, on a link the caller opened as <see cref="CertificationLab.Probe"/>.
    /// <paramref name="pipelined"/> sends the Fetch without waiting for the Ping's answer (the
    /// network fuzzer's cheaper check: one round trip; the verdicts are the same).
    /// </summary>
    public static Task<LivenessResult> OnLinkAsync(CertificationLab lab, ProbeLink link, MessageFactory context, Canary? canary,
        CaseTimeouts timeouts, bool pipelined = false) =>
        OnLinkAsync(link, Requests(lab, context, canary), canary, timeouts, pipelined);

    /// <summary>The probe's Ping and (with a canary) Fetch of the canary, signed by <see cref="CertificationLab.Probe"/>.</summary>
    public static LivenessRequests Requests(CertificationLab lab, MessageFactory context, Canary? canary) => new(
        context.Request(new PingReq(Wire.Opaque.Empty), lab.Probe),
        canary is null ? null : context.Request(canary.Fetch(), lab.Probe, new ResourceDestination(canary.ResourceId)));

    /// <summary>As above, with requests made beforehand (the network fuzzer signs them while the previous case runs).</summary>
    public static async Task<LivenessResult> OnLinkAsync(ProbeLink link, LivenessRequests requests, Canary? canary,
        CaseTimeouts timeouts, bool pipelined = false)
    {
        var pingRequest = requests.Ping;
        var fetchRequest = canary is { Stored: true } ? requests.Fetch : null;
        Task<ProbeReply>? fetchTask = null;
        var pingTask = link.RequestAsync(pingRequest, timeouts.Answer);
        if (pipelined && fetchRequest is not null) fetchTask = link.RequestAsync(fetchRequest, timeouts.Answer);
        var ping = await pingTask.ConfigureAwait(false);
        if (ping.Kind is ProbeReplyKind.Timeout) return new LivenessResult(Liveness.Timeout, "Ping: " + ping.Detail);
        if (ping.Kind is ProbeReplyKind.Closed) return new LivenessResult(Liveness.Reset, "Ping: " + ping.Detail);
        // An answer with another transaction id is no answer to this Ping (§6.3.2; PC-4): not alive.
        if (!ping.IsAnswer || ping.Message?.Body is not PingAns) return new LivenessResult(Liveness.WrongAnswer, $"Ping answered with {ping}");
        if (fetchRequest is null || canary is null) return new LivenessResult(Liveness.Alive, "Ping answered (no canary)");
        var fetch = await (fetchTask ?? link.RequestAsync(fetchRequest, timeouts.Answer)).ConfigureAwait(false);
        if (fetch.Kind is ProbeReplyKind.Timeout) return new LivenessResult(Liveness.Timeout, "Fetch of the canary: " + fetch.Detail);
        if (fetch.Kind is ProbeReplyKind.Closed) return new LivenessResult(Liveness.Reset, "Fetch of the canary: " + fetch.Detail);
        if (!fetch.IsAnswer || fetch.Message is null || !canary.IsIn(fetch.Message.Body))
            return new LivenessResult(Liveness.WrongAnswer, $"the canary stored at the start is gone: Fetch answered {fetch}");
        return new LivenessResult(Liveness.Alive, "Ping answered, canary fetched");
    }
}
