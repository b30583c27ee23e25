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
        var generator = new SessionGenerator(lab, sut.Endpoint, parties);
        var runner = new FuzzCaseRunner(lab, parties, generator, settings.Timeouts, settings.Resign);

        var failures = new List<FuzzFailure>();
        var failureIds = new List<string>(resume?.Failures ?? []);
        long casesRun = resume?.CasesRun ?? 0, nextIndex = resume?.NextIndex ?? 0;
        int restarts = resume?.Restarts ?? 0;
        double priorSeconds = resume?.Seconds ?? 0;
        var started = resume?.Started ?? DateTimeOffset.UtcNow;
        using var cases = OpenCasesFile(nextIndex, resume is not null);
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        long casesThisRun = 0;

        void WriteManifest(bool finished)
        {
            cases.Flush();
            new FuzzManifest
            {
                Tool = tool, Settings = settings, Started = started, NextIndex = nextIndex, CasesRun = casesRun,
                Seconds = priorSeconds + clock.Elapsed.TotalSeconds, Restarts = restarts, Failures = failureIds, Finished = finished,
            }.Write(settings.Out);
        }

        WriteManifest(false);
        foreach (var index in settings.Indices(nextIndex))
        {
            if (cancel.IsCancellationRequested) break;
            if (settings.DurationSeconds is { } budget && priorSeconds + clock.Elapsed.TotalSeconds >= budget) break;
            var id = new FuzzCaseId(settings.Generator, settings.Seed, index);
            var outcome = await runner.RunAsync(id, sut.Endpoint, canary, cancel).ConfigureAwait(false);
            casesRun++;
            casesThisRun++;
            onCase?.Invoke(outcome);
            cases.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id}\t{outcome.Digest}\t{(outcome.Alive ? "alive" : outcome.Liveness.State.ToString().ToLowerInvariant())}\t{outcome.Duration.TotalMilliseconds:0}ms"));
            bool stop = false;
            if (!outcome.Alive)
            {
                var (failure, restarted, canGoOn) = await ReproduceAsync(outcome, sut, lab, canary, runner, cancel).ConfigureAwait(false);
                restarts += restarted;
                if (failure.Reproduced && canGoOn && settings.Minimise)
                {
                    var (minimised, more) = await MinimiseAsync(generator.Generate(id), sut, lab, canary, runner, cancel).ConfigureAwait(false);
                    failure = failure with { Minimised = minimised };
                    restarts += more;
                }
                failures.Add(failure);
                failureIds.Add(id.ToString());
                var folder = FailureFolder.Write(settings.Out, settings, failure, tool);
                progress?.Invoke($"FAILURE {id}: {outcome.Liveness} ({failure.Verdict}; rerun: {failure.Rerun?.ToString() ?? failure.RerunNote}) -> {folder}");
                stop = settings.StopOnFailure || !canGoOn;
            }
            nextIndex = index + 1;
            if (stop || clock.Elapsed - lastReport >= ProgressEvery)
            {
                lastReport = clock.Elapsed;
                WriteManifest(false);
                progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"fuzz: cases {casesRun} ({casesThisRun / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):0.0}/s), failures {failureIds.Count}, restarts {restarts}"));
            }
            if (stop) break;
        }
        WriteManifest(finished: !cancel.IsCancellationRequested);
        var result = new FuzzCampaignResult(casesThisRun, clock.Elapsed.TotalSeconds, failures, restarts);
        WriteSummary(result, casesRun, failureIds);
        return result;
    }

    /// <summary>Restarts the SUT when it can, reruns the case once, restarts again if the rerun killed it too.</summary>
    private async Task<(FuzzFailure Failure, int Restarts, bool CanGoOn)> ReproduceAsync(FuzzCaseOutcome outcome, ISystemUnderTest sut,
        CertificationLab lab, Canary canary, FuzzCaseRunner runner, CancellationToken cancel)
    {
        int restarts = 0;
        if (!sut.CanRestart)
        {
            // Not ours to restart: if it comes back by itself within a few seconds, rerun; otherwise stop.
            var back = await LivenessProbe.CheckAsync(lab, sut.Endpoint, canary, settings.Timeouts, new EvidenceLog(), cancel, attempts: 3).ConfigureAwait(false);
            if (!back.IsAlive) return (new FuzzFailure(outcome, null, $"not rerun: the SUT cannot be restarted by the harness and is still down ({back})"), 0, false);
        }
        else
        {
            await sut.RestartAsync(cancel).ConfigureAwait(false);
            restarts++;
            await StoreCanaryAsync(lab, sut.Endpoint, canary, cancel).ConfigureAwait(false);
        }
        var rerun = await runner.RunAsync(outcome.Id, sut.Endpoint, canary, cancel).ConfigureAwait(false);
        if (!rerun.Alive)
        {
            if (!sut.CanRestart) return (new FuzzFailure(outcome, rerun.Liveness, null), restarts, false);
            await sut.RestartAsync(cancel).ConfigureAwait(false);
            restarts++;
            await StoreCanaryAsync(lab, sut.Endpoint, canary, cancel).ConfigureAwait(false);
        }
        return (new FuzzFailure(outcome, rerun.Liveness, null), restarts, true);
    }

    /// <summary>
    /// Delta debugging of a reproduced failure. Every trial starts on a freshly restarted SUT: a trial
    /// that passed leaves state behind (answered transaction ids are replayed from memory, §6.2.1),
    /// which would hide the next one.
    /// </summary>
    private async Task<(FuzzCaseOutcome? Minimised, int Restarts)> MinimiseAsync(FuzzSession session, ISystemUnderTest sut,
        CertificationLab lab, Canary canary, FuzzCaseRunner runner, CancellationToken cancel)
    {
        int restarts = 0;
        FuzzCaseOutcome? last = null;
        bool fresh = true;
        async Task<bool> Fails(FuzzSession trial)
        {
            if (!fresh)
            {
                await sut.RestartAsync(cancel).ConfigureAwait(false);
                restarts++;
                await StoreCanaryAsync(lab, sut.Endpoint, canary, cancel).ConfigureAwait(false);
            }
            var outcome = await runner.RunAsync(trial, sut.Endpoint, canary, cancel).ConfigureAwait(false);
            fresh = false;
            if (outcome.Alive) return false;
            last = outcome;
            return true;
        }
        var smallest = await FuzzMinimiser.MinimiseAsync(session, Fails).ConfigureAwait(false);
        // Confirm the result on its own: the last failing trial may have been a larger one.
        var confirmed = await Fails(smallest).ConfigureAwait(false) ? last : null;
        await sut.RestartAsync(cancel).ConfigureAwait(false);
        restarts++;
        await StoreCanaryAsync(lab, sut.Endpoint, canary, cancel).ConfigureAwait(false);
        return (confirmed, restarts);
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
