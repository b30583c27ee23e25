using System.Diagnostics;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Sut;
using P2psip.Messages;
using P2psip.Messages.Storage;

namespace P2psip.Conformance.Running;

/// <summary>
/// Runs a catalogue against one SUT (issue 13, "Running a case"): PC cases first; a case whose
/// precondition failed is inconclusive with that reason; each case has a deadline; an exception is
/// the harness's error, never the SUT's failure; after every case the liveness probe decides
/// whether the SUT crashed (then it is restarted when the harness started it, and never sent to
/// while dead); a failure is rerun once and counted only if it reproduces.
/// </summary>
public sealed class CertificationRunner
{
    private readonly CertificationLab _lab;
    private readonly ISystemUnderTest _sut;
    private readonly RunOptions _options;
    private readonly IRunObserver _observer;
    private readonly List<string> _notes = [];
    private Canary? _canary;
    private string? _downSince;
    private LivenessResult _baseline = new(Liveness.Alive, "not checked");

    public CertificationRunner(CertificationLab lab, ISystemUnderTest sut, RunOptions options, IRunObserver? observer = null)
    {
        _lab = lab;
        _sut = sut;
        _options = options;
        _observer = observer ?? SilentRunObserver.Instance;
    }

    /// <summary>
    /// Starts the SUT and checks it can be reached; a SUT that cannot be reached before the first
    /// case is a setup error (<see cref="SutSetupException"/>, exit 2), not a verdict.
    /// </summary>
    public async Task<CertificationReport> RunAsync(IReadOnlyList<ConformanceCase> catalogue, CancellationToken cancel = default)
    {
        var start = DateTimeOffset.UtcNow;
        var ordered = Order(catalogue);
        await _sut.StartAsync(cancel).ConfigureAwait(false);
        var first = await LivenessProbe.CheckAsync(_lab, _sut.Endpoint, null, _options.Timeouts, new EvidenceLog(), cancel).ConfigureAwait(false);
        if (first.State is Liveness.Refused or Liveness.Timeout)
            throw new SutSetupException($"the SUT at {_sut.Endpoint.Address} is unreachable before the first case: {first.Detail}");
        _baseline = first;
        if (!first.IsAlive) Note($"the SUT does not pass the liveness probe before the first case ({first}); cases that need a Ping will be inconclusive");
        await StoreCanaryAsync(cancel).ConfigureAwait(false);
        _observer.RunStarted(ordered.Count, _sut.Description, _options.Seed);

        var results = new Dictionary<string, CaseResult>(StringComparer.Ordinal);
        var reports = new List<CaseReport>();
        for (int i = 0; i < ordered.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var @case = ordered[i];
            _observer.CaseStarted(@case, i, ordered.Count);
            var result = await RunCaseAsync(@case, results, cancel).ConfigureAwait(false);
            if (_options.Expectations.TryGetValue(@case.Id, out var expected)) result = result with { Expected = expected };
            results[@case.Id] = result;
            reports.Add(new CaseReport(@case, result, _options.RerunCommand(@case.Id)));
            _observer.CaseFinished(@case, result, i, ordered.Count);
        }
        foreach (var id in _options.Expectations.Keys.Where(id => !catalogue.Any(c => c.Id == id)))
            Note($"the expectations file names {id}, which is no case of this run");
        return new CertificationReport
        {
            Tool = _options.Tool,
            Sut = new SutInfo(_sut.Kind, _sut.Description, _sut.Endpoint.Address.ToString(), _sut.Endpoint.Transport.Word(),
                _sut.Endpoint.NodeId?.ToHex(), _sut.DisabledDefences),
            Seed = _options.Seed,
            Start = start,
            End = DateTimeOffset.UtcNow,
            Cases = reports,
            Notes = _notes.ToArray(),
        };
    }

    /// <summary>PC cases first (a threat verdict is never hidden behind a transport defect), then by ID, stable.</summary>
    /// <summary>Cases that others need come before everything else, so a precondition is always known when it is asked.</summary>
    public static IReadOnlyList<ConformanceCase> Order(IEnumerable<ConformanceCase> cases)
    {
        var list = cases.ToList();
        var needed = list.SelectMany(c => c.Needs).ToHashSet(StringComparer.Ordinal);
        return list
            .OrderBy(c => needed.Contains(c.Id) ? 0 : c.Threat.StartsWith("PC-", StringComparison.Ordinal) ? 1 : 2)
            .ThenBy(c => c.Id, CaseIdComparer.Instance)
            .ToList();
    }

    private async Task<CaseResult> RunCaseAsync(ConformanceCase @case, IReadOnlyDictionary<string, CaseResult> earlier, CancellationToken cancel)
    {
        if (_downSince is { } down)
            return Result(@case, Verdict.Inconclusive, $"not run: the SUT is down since {down} and the harness cannot restart it", TimeSpan.Zero, null);
        if (@case.Transports.Count > 0 && !@case.Transports.Contains(_sut.Endpoint.Transport))
            return Result(@case, Verdict.NotApplicable, $"applies to {string.Join(", ", @case.Transports.Select(t => t.Word()))} only; the SUT speaks {_sut.Endpoint.Transport.Word()}", TimeSpan.Zero, null);
        if (@case.NeedsDriver && _sut is not ISutDriver)
            return Result(@case, Verdict.NotApplicable, "the case needs the SUT to originate a request, which only the embedded reference can be asked to do", TimeSpan.Zero, null);
        foreach (var need in @case.Needs)
        {
            if (!earlier.TryGetValue(need, out var prior))
                continue; // not selected in this run (--case): nothing says it failed
            if (prior.Verdict is not (Verdict.Pass or Verdict.PassLenient))
                return Result(@case, Verdict.Inconclusive, $"precondition {need} did not pass ({prior.Verdict.Word()}: {prior.Reason})", TimeSpan.Zero, null);
        }

        var first = await AttemptAsync(@case, 0, cancel).ConfigureAwait(false);
        if (first.Verdict != Verdict.Fail || !_options.RerunFailures) return first;
        var second = await AttemptAsync(@case, 1, cancel).ConfigureAwait(false);
        if (second.Verdict == Verdict.Fail)
            return first with { Notes = [.. first.Notes, $"reproduced on an automatic rerun: {second.Reason}"] };
        return second with
        {
            Verdict = second.Verdict == Verdict.Crash ? Verdict.Crash : Verdict.Inconclusive,
            Reason = second.Verdict == Verdict.Crash ? second.Reason : $"failed once ({first.Reason}) but not on an automatic rerun ({second.Verdict.Word()}: {second.Reason})",
            Messages = [.. first.Messages, .. second.Messages],
        };
    }

    /// <summary>One run of a case: stimulus and oracle under a deadline, then the liveness probe.</summary>
    private async Task<CaseResult> AttemptAsync(ConformanceCase @case, int attempt, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(_options.Timeouts.Case);
        var context = new CaseContext(@case, _lab, _sut, _options.Seed, _options.Timeouts, deadline.Token, attempt);
        Outcome outcome;
        Verdict? harnessVerdict = null;
        try
        {
            outcome = await @case.Run(context).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (ProbeConnectException e)
        {
            outcome = Outcome.Inconclusive($"the stimulus could not be delivered: no link to the SUT ({e.Failure}: {e.Message})");
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            outcome = Outcome.Inconclusive($"the case did not finish within {_options.Timeouts.Case.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            harnessVerdict = Verdict.Error;
            outcome = new Outcome(Verdict.Error, $"the harness broke ({e.GetType().Name}: {e.Message}); nothing is concluded about the SUT");
            context.Evidence.Note(e.ToString());
        }
        finally
        {
            await context.DisposeAsync().ConfigureAwait(false);
        }

        var liveness = await LivenessProbe.CheckAsync(_lab, _sut.Endpoint, _canary, _options.Timeouts, context.Evidence, cancel).ConfigureAwait(false);
        // A SUT that already failed the probe before the first case, the same way (a wrong answer to
        // every Ping), has not died in this case: it still answers as it did.
        if (!liveness.IsAlive && !_baseline.IsAlive && liveness.State == _baseline.State && _sut.HasExited != true)
        {
            context.Evidence.Note($"liveness after the case: {liveness} (as before the first case)");
            return Result(@case, outcome.Verdict, outcome.Reason, clock.Elapsed, context.Evidence);
        }
        if (!liveness.IsAlive && harnessVerdict is null && _sut.HasExited != false)
        {
            var died = $"the SUT failed the liveness probe after the stimulus ({liveness})";
            var output = _sut.RecentOutput;
            if (output.Count > 0) context.Evidence.Note("the SUT's last output: " + string.Join(" | ", output.TakeLast(5)));
            await RecoverAsync(@case, cancel).ConfigureAwait(false);
            return Result(@case, Verdict.Crash, outcome.Verdict is Verdict.Pass or Verdict.PassLenient ? died : $"{died}; the oracle had said {outcome.Verdict.Word()}: {outcome.Reason}",
                clock.Elapsed, context.Evidence);
        }
        if (!liveness.IsAlive)
        {
            context.Evidence.Note($"liveness after the case: {liveness}");
            await RecoverAsync(@case, cancel).ConfigureAwait(false);
        }
        return Result(@case, outcome.Verdict, outcome.Reason, clock.Elapsed, context.Evidence);
    }

    private async Task RecoverAsync(ConformanceCase @case, CancellationToken cancel)
    {
        if (!_sut.CanRestart)
        {
            _downSince = @case.Id;
            Note($"the SUT died in {@case.Id}; it cannot be restarted by the harness, so the remaining cases are not sent");
            return;
        }
        try
        {
            await _sut.RestartAsync(cancel).ConfigureAwait(false);
            Note($"the SUT was restarted after {@case.Id}");
            await StoreCanaryAsync(cancel).ConfigureAwait(false);
        }
        catch (SutSetupException e)
        {
            _downSince = @case.Id;
            Note($"the SUT could not be restarted after {@case.Id}: {e.Message}");
        }
    }

    private async Task StoreCanaryAsync(CancellationToken cancel)
    {
        _canary ??= new Canary(_lab);
        var evidence = new EvidenceLog();
        try
        {
            await using var link = await ProbeLink.ConnectAsync(_sut.Endpoint, _lab.Validator, _canary.Identity, "canary", evidence, _options.Timeouts.Connect, cancel).ConfigureAwait(false);
            var factory = new MessageFactory(_lab, _sut.Endpoint, new Random(_options.Seed));
            var reply = await link.RequestAsync(factory.Request(_canary.Store(), _canary.Identity, new ResourceDestination(_canary.ResourceId)), _options.Timeouts.Answer).ConfigureAwait(false);
            _canary.Stored = reply.Message?.Body is StoreAns;
            if (!_canary.Stored) Note($"the canary could not be stored ({reply}); the liveness probe is Ping only");
        }
        catch (ProbeConnectException e)
        {
            _canary.Stored = false;
            Note($"the canary could not be stored (no link: {e.Message}); the liveness probe is Ping only");
        }
    }

    private void Note(string line)
    {
        _notes.Add(line);
        _observer.Note(line);
    }

    private static CaseResult Result(ConformanceCase @case, Verdict verdict, string reason, TimeSpan duration, EvidenceLog? evidence) => new()
    {
        CaseId = @case.Id,
        Verdict = verdict,
        Reason = reason,
        Duration = duration,
        Messages = evidence?.Messages ?? [],
        Notes = evidence?.Notes ?? [],
    };
}
