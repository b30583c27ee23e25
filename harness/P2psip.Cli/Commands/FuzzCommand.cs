using System.CommandLine;
using System.Globalization;
using P2psip.Conformance.Sut;
using P2psip.NetFuzz;
using P2psip.Peer;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip fuzz --target embedded|HOST:PORT --seed S (--cases N | --duration SECONDS) ...</c>: network
/// fuzzing of a live peer (issue 12), a liveness probe after every case; <c>--rerun DIR/failures/ID</c>
/// reruns a failure, <c>--resume DIR</c> goes on with a killed campaign. Exit 0 no failure, 1 failure, 2 usage or setup error.
/// </summary>
internal static class FuzzCommand
{
    public static Command Create()
    {
        var target = new Option<string>("--target") { Description = "embedded (the reference peer in this process) or HOST:PORT of a running peer", DefaultValueFactory = _ => "embedded" };
        var lab = new Option<string?>("--lab") { Description = "A lab directory written by 'certify init' (default: a lab made from the seed)" };
        var sutCommand = new Option<string?>("--sut-command") { Description = "Start the SUT as a process (needs --lab): placeholders {overlay} {identity} {lab} {listen} {host} {port}" };
        var transport = new Option<string>("--transport") { Description = "tls, dtls or insecure-tcp", DefaultValueFactory = _ => "tls" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the campaign: case i of seed S is always the same session" };
        var cases = new Option<long?>("--cases") { Description = "Run cases 0..N-1 (or N cases from --range's start)" };
        var duration = new Option<double?>("--duration") { Description = "Run for this many seconds" };
        var output = new Option<string>("--out") { Description = "Campaign directory: manifest.json, cases.tsv, failures/, summary.json", DefaultValueFactory = _ => "out/fuzz" };
        var noResign = new Option<bool>("--no-resign") { Description = "Send mutated messages with their stale signatures (tests the signature checks themselves)" };
        var stopOnFailure = new Option<bool>("--stop-on-failure") { Description = "Stop at the first failure" };
        var noMinimise = new Option<bool>("--no-minimise") { Description = "Do not shrink failures (the shortest tail of preceding cases, then delta debugging over messages, then fields)" };
        var caseId = new Option<string?>("--case") { Description = "Run one case by ID, e.g. g2-s42-000017" };
        var range = new Option<string?>("--range") { Description = "Run cases A..B (indices, inclusive)" };
        var shard = new Option<string?>("--shard") { Description = "i/n: run only the cases whose index is i modulo n" };
        var fault = new Option<string?>("--inject-fault") { Description = "TEST ONLY: plant a defect in the embedded reference ('list' lists them)" };
        var rerun = new Option<string?>("--rerun") { Description = "Rerun a failure: DIR/failures/ID (needs no other option)" };
        var resume = new Option<string?>("--resume") { Description = "Resume a killed campaign from DIR/manifest.json (needs no other option)" };
        var command = new Command("fuzz", "Fuzz a live peer over the network: field and sequence mutations, a liveness probe after every case");
        command.Subcommands.Add(CreateMerge());
        foreach (var option in new Option[] { target, lab, sutCommand, transport, seed, cases, duration, output, noResign, stopOnFailure, noMinimise, caseId, range, shard, fault, rerun, resume })
            command.Options.Add(option);
        command.SetAction(async (parse, cancel) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            if (parse.GetValue(fault) == "list")
            {
                foreach (var f in InjectedFault.Catalogue) stdout.WriteLine($"{f.Name}\t{f.Description}");
                return ExitCodes.Ok;
            }
            if (parse.GetValue(rerun) is { } folder) return await RerunAsync(folder, stdout, stderr, cancel);
            if (parse.GetValue(resume) is { } dir)
            {
                FuzzManifest manifest;
                try { manifest = FuzzManifest.Load(dir); }
                catch (InvalidDataException e) { throw new CliError("--resume " + e.Message); }
                if (manifest.Finished) { stdout.WriteLine($"{dir}: the campaign had finished; nothing to resume"); return ExitCodes.Ok; }
                return await RunAsync(manifest.Settings, stdout, stderr, cancel, manifest);
            }
            var settings = new FuzzSettings
            {
                Target = parse.GetValue(target)!,
                Lab = parse.GetValue(lab),
                SutCommand = parse.GetValue(sutCommand),
                Transport = parse.GetValue(transport)!,
                InjectedFault = parse.GetValue(fault),
                Resign = !parse.GetValue(noResign),
                StopOnFailure = parse.GetValue(stopOnFailure),
                Minimise = !parse.GetValue(noMinimise),
                Out = parse.GetValue(output)!,
                Seed = parse.GetValue(seed) ?? 0,
            };
            settings = Select(settings, parse.GetValue(seed), parse.GetValue(cases), parse.GetValue(duration), parse.GetValue(caseId), parse.GetValue(range), parse.GetValue(shard));
            return await RunAsync(settings, stdout, stderr, cancel);
        });
        return command;
    }

    private static Command CreateMerge()
    {
        var dirs = new Argument<string[]>("DIR") { Description = "The shards' campaign directories", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Directory for the merged cases.tsv and summary.json", DefaultValueFactory = _ => "out/fuzz-merged" };
        var merge = new Command("merge", "Merge the shards of one campaign (--shard i/n) into one report");
        merge.Arguments.Add(dirs);
        merge.Options.Add(output);
        merge.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            FuzzCampaignResultSummary summary;
            try { summary = FuzzMerge.Merge(parse.GetValue(dirs) ?? [], parse.GetValue(output)!); }
            catch (InvalidDataException e) { throw new CliError(e.Message); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliError($"--out {parse.GetValue(output)}: {e.Message}"); }
            foreach (var failure in summary.Failures) stdout.WriteLine($"failure {failure}; rerun: p2psip fuzz --rerun {failure}");
            if (!summary.AllFinished) stdout.WriteLine("note: not every shard had finished (p2psip fuzz --resume DIR goes on)");
            stdout.WriteLine(summary.SummaryLine);
            return summary.Failures.Count > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return merge;
    }

    /// <summary>Which cases: checks the options together, before anything starts.</summary>
    private static FuzzSettings Select(FuzzSettings s, int? seed, long? cases, double? duration, string? caseId, string? range, string? shard)
    {
        if (caseId is { } text)
        {
            if (!FuzzCaseId.TryParse(text, out var id)) throw new CliError($"--case: '{text}' is not a case ID like g2-s42-000017");
            if (id.Generator != SessionGenerator.Version) throw new CliError($"--case {text}: made by generator {id.Generator}; this build has generator {SessionGenerator.Version}");
            if (seed is { } given && given != id.Seed) throw new CliError($"--case {text} is of seed {id.Seed}, not --seed {given}");
            if (cases is not null || duration is not null || range is not null || shard is not null) throw new CliError("--case runs one case: it takes no --cases, --duration, --range or --shard");
            return s with { Seed = id.Seed, RangeStart = id.Index, RangeEnd = id.Index };
        }
        if (seed is null) throw new CliError("--seed is required (the campaign's cases are made from it)");
        if (cases is { } n && n <= 0) throw new CliError($"--cases: {n} is not a positive number");
        if (duration is { } d && d <= 0) throw new CliError($"--duration: {d} is not a positive number of seconds");
        if (range is { } r)
        {
            var parts = r.Split('-');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b) || b < a)
                throw new CliError($"--range: '{r}' is not A-B with A <= B (case indices)");
            if (cases is not null) throw new CliError("--range and --cases exclude each other");
            s = s with { RangeStart = a, RangeEnd = b };
        }
        else if (cases is null && duration is null) throw new CliError("say how many cases: --cases N, --duration SECONDS or --range A-B");
        if (shard is { } sh)
        {
            var parts = sh.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n2) || n2 < 1 || i >= n2)
                throw new CliError($"--shard: '{sh}' is not i/n with 0 <= i < n");
            s = s with { ShardIndex = i, ShardCount = n2 };
        }
        return s with { Cases = cases, DurationSeconds = duration };
    }

    private static async Task<int> RerunAsync(string folder, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        FuzzSettings settings;
        FuzzCaseId id;
        try { (settings, id) = FailureFolder.Load(folder); }
        catch (InvalidDataException e) { throw new CliError("--rerun " + e.Message); }
        settings = settings with { Out = Path.Combine(folder, "rerun"), StopOnFailure = true };
        stderr.WriteLine($"p2psip fuzz: rerunning {id} against {settings.Target}" + (settings.InjectedFault is { } f ? $" (injected fault {f})" : ""));
        var code = await RunAsync(settings, stdout, stderr, cancel);
        stdout.WriteLine(code == ExitCodes.Failed ? $"{id}: reproduced" : $"{id}: did not reproduce");
        return code;
    }

    private static async Task<int> RunAsync(FuzzSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken cancel, FuzzManifest? resume = null)
    {
        if (File.Exists(settings.Out)) throw new CliError($"--out {settings.Out}: is a file, not a directory");
        if (settings.InjectedFault is { } name && InjectedFault.Find(name) is { } fault) stderr.WriteLine(fault.Banner);
        stderr.WriteLine($"p2psip fuzz: target {(settings.SutCommand is { } cmd ? $"process `{cmd}`" : settings.Target)}, seed {settings.Seed}, generator g{settings.Generator}, out {settings.Out}"
            + (resume is not null ? $", resuming at case {resume.NextIndex}" : ""));
        var tool = $"p2psip {BuildInfo.Version} ({BuildInfo.Commit})";
        FuzzCampaignResult result;
        try
        {
            result = await new FuzzCampaign(settings, tool, line => { lock (stderr) stderr.WriteLine(line); }).RunAsync(cancel, resume);
        }
        catch (SutSetupException e) { throw new CliError(e.Message); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliError($"--out {settings.Out}: {e.Message}"); }
        foreach (var failure in result.Failures)
            stdout.WriteLine($"failure {failure.Id} {failure.Verdict}: {failure.Outcome.Liveness}"
                + (failure.Tail.Count > 0 ? $"; needs the {failure.Tail.Count} case(s) before it from {failure.Tail[0]}" : "")
                + (failure.Minimised is { } m ? $"; minimised {failure.Outcome.Sent.Count} -> {m.Sent.Count} messages" : "") + $"; rerun: p2psip fuzz --rerun {Path.Combine(settings.Out, "failures", failure.Id.ToString())}");
        stdout.WriteLine(result.SummaryLine);
        return result.Failures.Count > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
