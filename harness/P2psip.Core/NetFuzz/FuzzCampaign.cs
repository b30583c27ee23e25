using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using P2psip.Conformance;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Running;
using P2psip.Conformance.Sut;
using P2psip.Messages.Storage;

namespace P2psip.NetFuzz;

/// <summary>What a campaign ran and found.</summary>
public sealed record FuzzCampaignResult(long Cases, double Seconds, IReadOnlyList<FuzzFailure> Failures, int Restarts)
{
    public double CasesPerSecond => Seconds > 0 ? Cases / Seconds : 0;

    public string SummaryLine => string.Create(CultureInfo.InvariantCulture,
        $"SUMMARY cases={Cases} cases_per_sec={CasesPerSecond:0.0} failures={Failures.Count} restarts={Restarts}");
}

/// <summary>
/// A network fuzzing campaign against one SUT (issue 12): case after case, a liveness probe after
/// each; on loss of liveness the failure is recorded, the SUT restarted when the harness started
/// it, the case rerun once to see whether it reproduces, and the campaign goes on (or stops, with
/// <see cref="FuzzSettings.StopOnFailure"/>). Writes, under <see cref="FuzzSettings.Out"/>:
/// <c>manifest.json</c> as it goes, <c>cases.tsv</c> (ID, digest, liveness per case),
/// <c>failures/ID/</c>, and <c>summary.json</c> at the end.
/// </summary>
public sealed class FuzzCampaign(FuzzSettings settings, string tool, Action<string>? progress = null, Action<FuzzCaseOutcome>? onCase = null)
{
    public const string CasesFile = "cases.tsv";
    public const string SummaryFile = "summary.json";
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(3);

    /// <summary>How many preceding cases the first minimisation stage looks back at (since the last restart).</summary>
    public const int MaxTail = 64;

    // One run's SUT and the parts around it (set by RunAsync).
    private CertificationLab _lab = null!;
    private ISystemUnderTest _sut = null!;
    private Canary _canary = null!;
    private SessionGenerator _generator = null!;
    private FuzzCaseRunner _runner = null!;
    private int _restarts;

    /// <summary>Runs the campaign from the start, or on from <paramref name="resume"/>'s manifest.</summary>
    public async Task<FuzzCampaignResult> RunAsync(CancellationToken cancel, FuzzManifest? resume = null)
    {
        Directory.CreateDirectory(settings.Out);
        var (lab, sut) = FuzzTarget.Create(settings);
        await using var _ = sut.ConfigureAwait(false);
        // In this order, so that every Node-ID comes from the seed alone: the canary, then the parties beside it.
        var canary = new Canary(lab);
        var parties = new FuzzParties(lab, canary.ResourceId);
        await sut.StartAsync(cancel).ConfigureAwait(false);
        await StoreCanaryAsync(lab, sut.Endpoint, canary, cancel).ConfigureAwait(false);
        (_lab, _sut, _canary) = (lab, sut, canary);
        _generator = new SessionGenerator(lab, sut.Endpoint, parties);
        await using var runner = _runner = new FuzzCaseRunner(lab, parties, _generator, settings.Timeouts, settings.Resign);

        var failures = new List<FuzzFailure>();
        var failureIds = new List<string>(resume?.Failures ?? []);
        long casesRun = resume?.CasesRun ?? 0, nextIndex = resume?.NextIndex ?? 0;
        _restarts = resume?.Restarts ?? 0;
        double priorSeconds = resume?.Seconds ?? 0;
        var started = resume?.Started ?? DateTimeOffset.UtcNow;
        using var cases = OpenCasesFile(nextIndex, resume is not null);
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        long casesThisRun = 0;
        // The cases the SUT has seen since it last started: a failure may need their state (minimisation, stage 1).
        var sinceStart = new List<FuzzCaseId>();

        void WriteManifest(bool finished)
        {
            cases.Flush();
            new FuzzManifest
            {
                Tool = tool, Settings = settings, Started = started, NextIndex = nextIndex, CasesRun = casesRun,
                Seconds = priorSeconds + clock.Elapsed.TotalSeconds, Restarts = _restarts, Failures = failureIds, Finished = finished,
            }.Write(settings.Out);
        }

        WriteManifest(false);
        using var indices = settings.Indices(nextIndex).GetEnumerator();
        // Case N+1 is generated and signed on another thread while the SUT works on case N (that costs no SUT time).
        Task<PreparedCase>? upcoming = indices.MoveNext() ? PrepareAsync(indices.Current) : null;
        while (upcoming is not null)
        {
            if (cancel.IsCancellationRequested) break;
            if (settings.DurationSeconds is { } budget && priorSeconds + clock.Elapsed.TotalSeconds >= budget) break;
            var prepared = await upcoming.ConfigureAwait(false);
            var id = prepared.Session.Id;
            long index = id.Index;
            upcoming = indices.MoveNext() ? PrepareAsync(indices.Current) : null;
            var outcome = await runner.RunAsync(prepared, sut.Endpoint, canary, cancel).ConfigureAwait(false);
            casesRun++;
            casesThisRun++;
            onCase?.Invoke(outcome);
            cases.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id}\t{outcome.Digest}\t{(outcome.Alive ? "alive" : outcome.Liveness.State.ToString().ToLowerInvariant())}\t{outcome.Duration.TotalMilliseconds:0}ms"));
            bool stop = false;
            if (!outcome.Alive)
            {
                var (failure, canGoOn) = await ReproduceAsync(outcome, sinceStart.TakeLast(MaxTail).ToList(), cancel).ConfigureAwait(false);
                if (failure.Reproduced && canGoOn && settings.Minimise)
                    failure = failure with { Minimised = await MinimiseAsync(failure, cancel).ConfigureAwait(false) };
                sinceStart.Clear();
                failures.Add(failure);
                failureIds.Add(id.ToString());
                var folder = FailureFolder.Write(settings.Out, settings, failure, tool);
                var tail = failure.Tail.Count > 0 ? $" after {failure.Tail.Count} preceding case(s) from {failure.Tail[0]}" : "";
                progress?.Invoke($"FAILURE {id}: {outcome.Liveness} ({failure.Verdict}{tail}; rerun: {failure.Rerun?.ToString() ?? failure.RerunNote}) -> {folder}");
                stop = settings.StopOnFailure || !canGoOn;
            }
            else
            {
                sinceStart.Add(id);
                if (sinceStart.Count > 4 * MaxTail) sinceStart.RemoveRange(0, sinceStart.Count - MaxTail);
            }
            nextIndex = index + 1;
            if (stop || clock.Elapsed - lastReport >= ProgressEvery)
            {
                lastReport = clock.Elapsed;
                WriteManifest(false);
                progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"fuzz: cases {casesRun} ({casesThisRun / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):0.0}/s), failures {failureIds.Count}, restarts {_restarts}"));
            }
            if (stop) break;
        }
        WriteManifest(finished: !cancel.IsCancellationRequested);
        var result = new FuzzCampaignResult(casesThisRun, clock.Elapsed.TotalSeconds, failures, _restarts);
        WriteSummary(result, casesRun, failureIds);
        return result;
    }

    private Task<PreparedCase> PrepareAsync(long index)
    {
        var id = new FuzzCaseId(settings.Generator, settings.Seed, index);
        return Task.Run(() => _runner.Prepare(id, _canary));
    }

    /// <summary>Restarts the SUT, drops the runner's links to the old one and stores the canary again.</summary>
    private async Task RestartAsync(CancellationToken cancel)
    {
        await _sut.RestartAsync(cancel).ConfigureAwait(false);
        _restarts++;
        await _runner.DropLinksAsync().ConfigureAwait(false);
        await StoreCanaryAsync(_lab, _sut.Endpoint, _canary, cancel).ConfigureAwait(false);
    }

    /// <summary>
    /// Restarts the SUT when it can and reruns the case alone; if that does not fail and minimising is
    /// on, looks for the shortest tail of the cases before it that makes it fail again (minimisation,
    /// stage 1: a failure that needs state from earlier cases); restarts again after a failing rerun.
    /// </summary>
    private async Task<(FuzzFailure Failure, bool CanGoOn)> ReproduceAsync(FuzzCaseOutcome outcome, IReadOnlyList<FuzzCaseId> before, CancellationToken cancel)
    {
        if (!_sut.CanRestart)
        {
            // Not ours to restart: if it comes back by itself within a few seconds, rerun; otherwise stop.
            var back = await LivenessProbe.CheckAsync(_lab, _sut.Endpoint, _canary, settings.Timeouts, new EvidenceLog(), cancel, attempts: 3).ConfigureAwait(false);
            if (!back.IsAlive) return (new FuzzFailure(outcome, null, $"not rerun: the SUT cannot be restarted by the harness and is still down ({back})"), false);
            await _runner.DropLinksAsync().ConfigureAwait(false);
        }
        else
        {
            await RestartAsync(cancel).ConfigureAwait(false);
        }
        var rerun = await _runner.RunAsync(outcome.Id, _sut.Endpoint, _canary, cancel).ConfigureAwait(false);
        if (!rerun.Alive)
        {
            if (!_sut.CanRestart) return (new FuzzFailure(outcome, rerun.Liveness, null), false);
            await RestartAsync(cancel).ConfigureAwait(false);
            return (new FuzzFailure(outcome, rerun.Liveness, null), true);
        }
        if (!settings.Minimise || before.Count == 0 || !_sut.CanRestart)
        {
            string why = before.Count == 0 ? "no case ran before it since the SUT started"
                : !_sut.CanRestart ? "the SUT cannot be restarted, so preceding cases cannot be replayed on a fresh one"
                : "--no-minimise: preceding cases not tried";
            return (new FuzzFailure(outcome, rerun.Liveness, $"alone it passed; {why}"), true);
        }
        var failedWith = new Dictionary<int, LivenessResult>();
        async Task<bool> FailsWithTail(int length)
        {
            await RestartAsync(cancel).ConfigureAwait(false);
            var result = await RunAfterAsync(before.Skip(before.Count - length).ToList(), _generator.Generate(outcome.Id), cancel).ConfigureAwait(false);
            if (result.Alive || result.Id != outcome.Id) return false;
            failedWith[length] = result.Liveness;
            return true;
        }
        var shortest = await FuzzMinimiser.ShortestTailAsync(before.Count, FailsWithTail).ConfigureAwait(false);
        await RestartAsync(cancel).ConfigureAwait(false);
        if (shortest is not { } n)
            return (new FuzzFailure(outcome, rerun.Liveness, $"alone it passed, and after the {before.Count} case(s) before it too"), true);
        // The rerun that counts is the search's trial of exactly this tail.
        return (new FuzzFailure(outcome, failedWith[n], null) { Tail = before.Skip(before.Count - n).ToList() }, true);
    }

    /// <summary>Runs <paramref name="tail"/> as cases, then <paramref name="session"/>; a tail case that kills the SUT ends it there.</summary>
    private async Task<FuzzCaseOutcome> RunAfterAsync(IReadOnlyList<FuzzCaseId> tail, FuzzSession session, CancellationToken cancel)
    {
        foreach (var id in tail)
        {
            var before = await _runner.RunAsync(id, _sut.Endpoint, _canary, cancel).ConfigureAwait(false);
            if (!before.Alive) return before;
        }
        return await _runner.RunAsync(session, _sut.Endpoint, _canary, cancel).ConfigureAwait(false);
    }

    /// <summary>
    /// Minimisation after stage 1 (the tail, found by <see cref="ReproduceAsync"/>): delta debugging of
    /// the failing session's messages, then of their fields, each trial on a freshly restarted SUT
    /// that first sees the tail (a trial that passed leaves state behind: answered transaction ids
    /// are replayed from memory, §6.2.1, which would hide the next one).
    /// </summary>
    private async Task<FuzzCaseOutcome?> MinimiseAsync(FuzzFailure failure, CancellationToken cancel)
    {
        FuzzCaseOutcome? last = null;
        bool fresh = true;
        async Task<bool> Fails(FuzzSession trial)
        {
            if (!fresh) await RestartAsync(cancel).ConfigureAwait(false);
            fresh = false;
            var outcome = await RunAfterAsync(failure.Tail, trial, cancel).ConfigureAwait(false);
            if (outcome.Alive || outcome.Id != trial.Id) return false;
            last = outcome;
            return true;
        }
        var smallest = await FuzzMinimiser.MinimiseAsync(_generator.Generate(failure.Id), Fails).ConfigureAwait(false);
        // Confirm the result on its own: the last failing trial may have been a larger one.
        var confirmed = await Fails(smallest).ConfigureAwait(false) ? last : null;
        await RestartAsync(cancel).ConfigureAwait(false);
        return confirmed;
    }

    /// <summary>§6.4.1 Store of the canary by its own identity, so liveness is Ping and Fetch; Ping only if it fails.</summary>
    private static async Task StoreCanaryAsync(CertificationLab lab, SutEndpoint sut, Canary canary, CancellationToken cancel)
    {
        var timeouts = new CaseTimeouts();
        try
        {
            await using var link = await ProbeLink.ConnectAsync(sut, lab.Validator, canary.Identity, "canary", new EvidenceLog(), timeouts.Connect, cancel).ConfigureAwait(false);
            var factory = new MessageFactory(lab, sut, new Random(0xca7a));
            var reply = await link.RequestAsync(factory.Request(canary.Store(), canary.Identity, new Messages.ResourceDestination(canary.ResourceId)), timeouts.Answer).ConfigureAwait(false);
            canary.Stored = reply.Message?.Body is StoreAns;
        }
        catch (ProbeConnectException)
        {
            canary.Stored = false;
        }
    }

    /// <summary>cases.tsv, appended to; on resume, lines past the manifest's point (written after its last save) are dropped.</summary>
    private StreamWriter OpenCasesFile(long nextIndex, bool resuming)
    {
        var file = Path.Combine(settings.Out, CasesFile);
        if (resuming && File.Exists(file))
        {
            var kept = File.ReadAllLines(file).Where(l => FuzzCaseId.TryParse(l.Split('\t')[0], out var id) && id.Index < nextIndex).ToList();
            File.WriteAllLines(file, kept);
        }
        else if (!resuming)
        {
            File.WriteAllText(file, "");
        }
        return new StreamWriter(file, append: true);
    }

    private void WriteSummary(FuzzCampaignResult result, long totalCases, IReadOnlyList<string> allFailures)
    {
        var json = new JsonObject
        {
            ["tool"] = tool,
            ["settings"] = settings.ToJson(),
            ["cases"] = totalCases,
            ["cases_this_run"] = result.Cases,
            ["seconds"] = Math.Round(result.Seconds, 3),
            ["cases_per_sec"] = Math.Round(result.CasesPerSecond, 1),
            ["failures"] = new JsonArray(allFailures.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            ["reproduced"] = result.Failures.Count(f => f.Reproduced),
            ["inconclusive"] = result.Failures.Count(f => !f.Reproduced),
            ["restarts"] = result.Restarts,
        };
        File.WriteAllText(Path.Combine(settings.Out, SummaryFile), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
