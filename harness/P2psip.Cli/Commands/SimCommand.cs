using System.CommandLine;
using System.Text.Json;
using P2psip.Peer.Simulation;

using P2psip.Adversary.Personas;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip sim --peers N --seed S [--lookups M] [--signatures] [--disable DEFENCE...] [--lookup plain|redundant[:d]]</c>: builds a
/// simulated CHORD-RELOAD ring of reference peers over in-memory links on virtual time and prints
/// a JSON report (lookup success, hops against log2 N, messages per lookup, memory per peer, times).
/// Progress goes to standard error.
/// </summary>
internal static class SimCommand
{
    public static Command Create()
    {
        var peers = new Option<int>("--peers") { Description = "Number of peers in the ring", DefaultValueFactory = _ => 100 };
        var seed = new Option<int?>("--seed") { Description = "Seed of every random choice (random if omitted; the report prints it)" };
        var lookups = new Option<int>("--lookups") { Description = "Lookups of random Resource-IDs to measure", DefaultValueFactory = _ => 1000 };
        var signatures = new Option<bool>("--signatures") { Description = "Sign and verify every message with ECDSA P-256 identities (slow)" };
        var disable = new Option<string[]>("--disable") { Description = "Defences to switch off (names as in THREATS.md)", AllowMultipleArgumentsPerToken = true };
        var lookup = new Option<string?>("--lookup") { Description = "Also run Fetch lookups judged by their answers: plain, or redundant[:d] (a walk to the replica set, then each member fetched over its own route, up to d at once, §13.6.6)" };
        var population = PopulationArguments.Create();
        var command = new Command("sim", "Simulate a ring of reference peers and measure lookups (JSON report)");
        command.Options.Add(peers);
        command.Options.Add(seed);
        command.Options.Add(lookups);
        command.Options.Add(signatures);
        command.Options.Add(disable);
        command.Options.Add(lookup);
        // The population's own --lookup is this one (one option, two uses).
        population.AddTo(command, withLookup: false);
        command.SetAction(parseResult =>
        {
            int s = parseResult.GetValue(seed) ?? Random.Shared.Next();
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (population.Given(parseResult))
                return RunPopulation(population.Read(parseResult, parseResult.GetValue(peers), s, parseResult.GetValue(lookups), parseResult.GetValue(disable) ?? [],
                    lookupMode: parseResult.GetValue(lookup) ?? LookupModes.Plain), output, error);
            return Run(parseResult.GetValue(peers), s, parseResult.GetValue(lookups), parseResult.GetValue(signatures),
                parseResult.GetValue(disable) ?? [], parseResult.GetValue(lookup), output, error, bulkJoin: parseResult.GetValue(population.BulkJoin));
        });
        command.Subcommands.Add(SimCurveCommand.Create());
        return command;
    }

    /// <summary>A ring with a malicious population: always signed (the values must verify), lookups Store then Fetch.</summary>
    internal static int RunPopulation(P2psip.Adversary.Personas.PopulationOptions options, TextWriter output, TextWriter error)
    {
        error.WriteLine($"p2psip sim: {options.Peers} peers, seed {options.Seed}, {options.MaliciousFraction} of them {options.Persona} ({options.Placement}); signed ring, {options.LookupMode} value lookups");
        var report = P2psip.Adversary.Personas.PopulationSimulation.Run(options, line => { lock (error) error.WriteLine($"p2psip sim: {line}"); });
        output.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        return ExitCodes.Ok;
    }

    internal static int Run(int peers, int seed, int lookups, bool signatures, string[] disabled, TextWriter output, TextWriter error) =>
        Run(peers, seed, lookups, signatures, disabled, null, output, error);

    internal static int Run(int peers, int seed, int lookups, bool signatures, string[] disabled, string? lookupMode, TextWriter output, TextWriter error,
        bool bulkJoin = false)
    {
        P2psip.Peer.Lookup.LookupMode? mode = null;
        if (lookupMode is not null)
            mode = P2psip.Peer.Lookup.LookupMode.Parse(lookupMode, out var why) ?? throw new CliError($"--lookup {why}");
        if (peers < 1 || peers > 1_000_000) throw new CliError("--peers must be between 1 and 1000000");
        if (lookups < 0) throw new CliError("--lookups must not be negative");
        foreach (var name in disabled)
            if (!P2psip.Peer.DefenceSwitches.Catalogue.Any(d => d.Name == name))
                throw new CliError($"unknown defence '{name}'; known: {string.Join(", ", P2psip.Peer.DefenceSwitches.Catalogue.Select(d => d.Name))}");
        // Say the cost before starting, and refuse a ring this machine cannot hold.
        var estimate = SimEstimate.For(peers, signatures, bulkJoin);
        long available = SimEstimate.AvailableBytes();
        if (estimate.Bytes > available * 8 / 10)
            throw new CliError($"--peers {peers}: needs {estimate}, more than this machine can give ({SimEstimate.Megabytes(available)} available); give fewer peers");
        error.WriteLine($"p2psip sim: {peers} peers, seed {seed}: {estimate}{(bulkJoin ? " (bulk join)" : "")}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int joined = 0;
        // The ring reports every 10% of the joins; in between, a line every few seconds says it is alive and how far it is.
        using var heartbeat = new Timer(_ =>
        {
            int done = Volatile.Read(ref joined);
            var left = done > 0 && done < peers ? $", about {SimEstimate.Duration(clock.Elapsed * ((double)(peers - done) / done))} left" : "";
            lock (error) error.WriteLine($"p2psip sim: {SimEstimate.Duration(clock.Elapsed)} elapsed, {done} of {peers} peers joined{left}");
        }, null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        var report = RingSimulation.Run(new SimulationOptions
        {
            Peers = peers,
            Seed = seed,
            Lookups = lookups,
            Signatures = signatures,
            DisabledDefences = disabled,
            Lookup = mode,
            BulkJoin = bulkJoin,
        }, line =>
        {
            if ((line.EndsWith(" peers joined", StringComparison.Ordinal) || line.EndsWith(" peers placed", StringComparison.Ordinal)) && int.TryParse(line.Split(' ')[0], out var n)) Volatile.Write(ref joined, n);
            if (line.StartsWith("ring built", StringComparison.Ordinal)) heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
            lock (error) error.WriteLine($"p2psip sim: {line}");
        });
        output.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        return report.LookupSuccessRate == 1.0 && (report.CorrectAnswerRate ?? 1.0) == 1.0 && report.Joined == peers ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
