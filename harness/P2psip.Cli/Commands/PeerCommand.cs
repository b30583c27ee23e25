using System.CommandLine;
using System.Runtime.InteropServices;
using P2psip.Adversary;
using P2psip.Adversary.Personas;
using P2psip.Capture;
using P2psip.Peer;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip peer --overlay DIR_OR_FILE --identity DIR --listen IP:PORT [--bootstrap HOST:PORT] [--first]
/// [--transport tls|dtls|insecure-tcp] [--disable DEFENCE...] [--capture FILE] [--keylog FILE]
/// [--persona NAME | --persona-file SCENARIO [--persona-seed S] [--persona-log FILE]]</c>: runs a reference peer until SIGINT/SIGTERM,
/// then leaves the overlay cleanly (§10.9). The switched-off defences are printed at start-up. With a
/// persona, the same peer runs the scenario on every message of its real links (issue 8).
/// </summary>
internal static class PeerCommand
{
    public static Command Create()
    {
        var live = new LiveOptions();
        var listen = new Option<string?>("--listen") { Description = "IP:PORT to listen on (the peer's Attach candidate); required" };
        var fault = new Option<string?>("--inject-fault") { Description = $"TEST ONLY: plant a defect for the network fuzzer to find ('list' lists them: {InjectedFault.Names})" };
        var capture = new Option<string?>("--capture") { Description = "Record what crosses the peer's links (decrypted) into this pcap, streamed" };
        var first = new Option<bool>("--first") { Description = "Start a new overlay as its first peer (no --bootstrap)" };
        var persona = new Option<string?>("--persona") { Description = $"Misbehave as this persona on every message of the peer's links: {string.Join(", ", PersonaCatalogue.Names)}" };
        var personaFile = new Option<FileInfo?>("--persona-file") { Description = "Misbehave as this scenario file instead of a named persona" };
        var personaSeed = new Option<ulong?>("--persona-seed") { Description = "The persona's run seed (default: the scenario's, else random; printed)" };
        var personaLog = new Option<string?>("--persona-log") { Description = "Write the persona's decision log (JSON lines) to this file" };
        var command = new Command("peer", "Run a reference peer on TLS or DTLS links until SIGINT/SIGTERM, then leave cleanly");
        live.AddTo(command);
        // Not required by the parser, so that '--inject-fault list' needs nothing else; checked below.
        live.Overlay.Required = false;
        live.Identity.Required = false;
        command.Options.Add(listen);
        command.Options.Add(fault);
        command.Options.Add(first);
        command.Options.Add(capture);
        command.Options.Add(persona);
        command.Options.Add(personaFile);
        command.Options.Add(personaSeed);
        command.Options.Add(personaLog);
        var keylog = KeyLogOption.Create();
        command.Options.Add(keylog);
        command.SetAction(async (parse, cancel) =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(fault) == "list")
            {
                foreach (var f in InjectedFault.Catalogue) output.WriteLine($"{f.Name}\t{f.Description}");
                return ExitCodes.Ok;
            }
            foreach (var (option, value) in new (string, string?)[] { ("--overlay", parse.GetValue(live.Overlay)), ("--identity", parse.GetValue(live.Identity)), ("--listen", parse.GetValue(listen)) })
                if (value is null) throw new CliError($"{option} is required");
            InjectedFault? injected = null;
            if (parse.GetValue(fault) is { } name)
                injected = InjectedFault.Find(name) ?? throw new CliError($"--inject-fault: no fault '{name}'; known: {InjectedFault.Names} (or 'list')");
            bool isFirst = parse.GetValue(first);
            if (isFirst && parse.GetValue(live.Bootstrap) is not null) throw new CliError("--first and --bootstrap exclude each other");
            if (parse.GetValue(keylog) is { } keylogPath) KeyLogOption.Enable(keylogPath);
            var wait = live.Wait(parse, "peer");
            var options = live.Read(parse, parse.GetValue(listen)!, needBootstrap: !isFirst, line => { lock (output) output.WriteLine($"p2psip peer: {line}"); })
                with { InjectedFault = injected };
            var scenario = ReadPersona(parse.GetValue(persona), parse.GetValue(personaFile));
            StreamWriter? decisions = null;
            if (scenario is not null && parse.GetValue(personaLog) is { } logPath)
            {
                try { decisions = new StreamWriter(logPath); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliError($"--persona-log {logPath}: cannot write: {Errors.Reason(e)}"); }
            }
            else if (parse.GetValue(personaLog) is not null) throw new CliError("--persona-log needs --persona or --persona-file");
            await using var _ = decisions;
            LivePersona? misbehaving = null;
            if (scenario is not null)
            {
                misbehaving = new LivePersona(scenario, options.Identity, parse.GetValue(personaSeed), DecisionLog.Streaming(decisions));
                options = misbehaving.ApplyTo(options);
                options.Log!($"persona {scenario.Name}, seed {misbehaving.Engine.Seed}: every message of this peer's links goes through its rules");
            }
            using var recording = parse.GetValue(capture) is { } capturePath ? CaptureOption.Open(capturePath) : null;
            var peer = LiveOptions.Create(options);
            if (recording is not null) peer.Links.AddHandler(_ => new StreamCaptureHandler(recording));
            // Pushed to the file each second, so the capture can be read while the peer runs.
            using var flusher = recording is null ? null : new Timer(_ => recording.Flush(), null, 1000, 1000);
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
            using var registration = cancel.Register(() => stop.TrySetResult());
            await LiveOptions.StartAsync(peer, wait);
            options.Log!($"joined: {peer.Peer.Snapshot()}");
            options.Log!("running; SIGINT or SIGTERM to leave");
            await stop.Task;
            options.Log!("leaving");
            try { await peer.LeaveAsync(TimeSpan.FromSeconds(15)); }
            catch (TimeoutException) { peer.Crash(); options.Log!("leave timed out; links closed"); }
            options.Log!("left");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The persona's scenario (checked usable live), or null without --persona and --persona-file.</summary>
    private static Scenario? ReadPersona(string? name, FileInfo? file)
    {
        if (name is not null && file is not null) throw new CliError("--persona and --persona-file exclude each other");
        Scenario scenario;
        if (file is not null)
        {
            try { scenario = ScenarioFile.Load(file.FullName); }
            catch (ScenarioFileException e) { throw new CliError(e.Message); }
        }
        else if (name is not null)
        {
            try { scenario = PersonaCatalogue.Load(name); }
            catch (ArgumentException e) { throw new CliError($"--persona: {e.Message}"); }
        }
        else return null;
        try { LivePersona.CheckUsable(scenario); }
        catch (ArgumentException e) { throw new CliError($"{file?.FullName ?? "--persona " + name}: {e.Message}"); }
        return scenario;
    }
}
