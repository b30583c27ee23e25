using System.CommandLine;
using P2psip.Conformance;
using P2psip.Conformance.Catalogue;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Reports;
using P2psip.Conformance.Running;
using P2psip.Conformance.Sut;
using P2psip.Cli.Certify;
using P2psip.Peer;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip certify</c>: runs the conformance suite against a system under test — the embedded
/// reference peer by default, a peer process (<c>--sut-command</c>) or a running peer
/// (<c>--sut HOST:PORT</c>) — and writes the reports to <c>--out</c>.
/// </summary>
internal static class CertifyCommand
{
    public static Command Create()
    {
        var seed = new Option<int?>("--seed") { Description = "Seed of every random choice (random if omitted; printed)" };
        var cases = new Option<string[]>("--case") { Description = "Run only these case IDs", AllowMultipleArgumentsPerToken = true };
        var disable = new Option<string[]>("--disable") { Description = "Embedded reference: defences to switch off (names as in THREATS.md)", AllowMultipleArgumentsPerToken = true };
        var transport = new Option<string>("--transport") { Description = "tls, dtls, insecure-tcp or insecure-tcp-unframed", DefaultValueFactory = _ => "tls" };
        var sut = new Option<string?>("--sut") { Description = "An external peer already running, HOST:PORT" };
        var sutCommand = new Option<string?>("--sut-command") { Description = "Start the SUT as a process: placeholders {overlay} {identity} {lab} {listen} {host} {port}" };
        var lab = new Option<string?>("--lab") { Description = "A lab directory written by 'certify init' (default: a lab made for this run)" };
        var evidence = new Option<bool>("--evidence") { Description = "Print every case's messages and notes on the console too" };
        var selfTest = new Option<bool>("--self-test") { Description = "Run the suite against the embedded reference with all defences on, then with each switched off alone" };
        var expect = new Option<string?>("--expect") { Description = "Expectations file (YAML: case ID -> expected verdict and why) for known deviations" };
        var output = new Option<string>("--out") { Description = "Directory for the reports", DefaultValueFactory = _ => "out/certify" };
        var wire = new Option<string?>("--wire-capture") { Description = "With --sut: capture the real wire on this interface (e.g. lo), filtered to the SUT's address and port, into OUT/wire.pcap" };
        var keylog = KeyLogOption.Create();
        var curves = new Option<string?>("--curves") { Description = "Link the simulator's attack curves in this folder (written by 'p2psip sim curve --out') from report.html (default: OUT/curves when it exists)" };
        var fault = new Option<string?>("--inject-fault") { Description = "TEST ONLY: plant a defect in the embedded reference ('list' lists them)" };
        var command = new Command("certify", "Run the conformance suite against a peer and write report.json, junit.xml and report.html");
        command.Subcommands.Add(CreateInit());
        foreach (var option in new Option[] { seed, cases, disable, transport, sut, sutCommand, lab, selfTest, evidence, expect, output, fault, wire, keylog, curves }) command.Options.Add(option);
        command.SetAction((parseResult, cancel) => RunAsync(new CertifyArguments
        {
            Seed = parseResult.GetValue(seed) ?? Random.Shared.Next(),
            Cases = parseResult.GetValue(cases) ?? [],
            Disable = parseResult.GetValue(disable) ?? [],
            Transport = parseResult.GetValue(transport)!,
            Sut = parseResult.GetValue(sut),
            SutCommand = parseResult.GetValue(sutCommand),
            Lab = parseResult.GetValue(lab),
            Out = parseResult.GetValue(output)!,
            SelfTest = parseResult.GetValue(selfTest),
            Evidence = parseResult.GetValue(evidence),
            Expect = parseResult.GetValue(expect),
            InjectedFault = parseResult.GetValue(fault),
            WireCapture = parseResult.GetValue(wire),
            KeyLog = parseResult.GetValue(keylog),
            Curves = parseResult.GetValue(curves),
        }, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancel));
        return command;
    }

    /// <summary><c>p2psip certify init --dir LAB</c>: the CA, overlay.xml and SUT identity a vendor brings a peer with.</summary>
    private static Command CreateInit()
    {
        var dir = new Option<string>("--dir") { Description = "Directory to write the lab into (must not hold one)", Required = true };
        var name = new Option<string>("--name") { Description = "Overlay name", DefaultValueFactory = _ => CertificationLab.DefaultOverlayName };
        var seed = new Option<int?>("--seed") { Description = "Seed of the SUT's Node-ID" };
        var init = new Command("init", "Write a certification lab: CA, overlay.xml, the SUT's identity and how to start the SUT");
        init.Options.Add(dir);
        init.Options.Add(name);
        init.Options.Add(seed);
        init.SetAction(parseResult =>
        {
            var directory = parseResult.GetValue(dir)!;
            var overlay = parseResult.GetValue(name)!;
            if (overlay.Length is 0 or > 39 || overlay.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-')))
                throw new CliError($"--name: '{overlay}' is not an overlay name (letters, digits, '.' and '-', at most 39 characters)");
            CertificationLab lab;
            try { lab = LabDirectory.Init(directory, parseResult.GetValue(seed) ?? Random.Shared.Next(), overlay); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliError($"{directory}: {e.Message}"); }
            parseResult.InvocationConfiguration.Output.WriteLine(
                $"wrote lab for overlay {lab.OverlayName} in {directory}: ca-cert.pem, overlay.xml, {LabDirectory.SutIdentityFolder}/key.pem, {LabDirectory.SutIdentityFolder}/cert.pem (Node-ID {lab.SutIdentity.NodeId.ToHex()}), {LabDirectory.Instructions}");
            return ExitCodes.Ok;
        });
        return init;
    }

    internal static async Task<int> RunAsync(CertifyArguments args, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        var transport = SutTransportNames.Parse(args.Transport)
            ?? throw new CliError($"--transport: unknown transport '{args.Transport}'; known: tls, dtls, insecure-tcp, insecure-tcp-unframed");
        var selected = Select(args.Cases);
        var fault = InjectedFaultOf(args);
        if (fault == ListFaults)
        {
            foreach (var f in InjectedFault.Catalogue) output.WriteLine($"{f.Name}\t{f.Description}");
            return ExitCodes.Ok;
        }
        if (args.SelfTest) return await SelfTestAsync(args, selected, output, error, cancel);
        var defences = DefenceSwitches.AllOn;
        try { defences = defences.Disable(args.Disable); }
        catch (ArgumentException e) { throw new CliError("--disable: " + e.Message.Split(" (Parameter")[0]); }
        if (args.WireCapture is not null && args.Sut is null)
            throw new CliError("--wire-capture needs --sut HOST:PORT: the capture is filtered to that address and port");
        if (args.KeyLog is { } keys) KeyLogOption.Enable(keys);
        var curves = CertifyCurves.Find(args.Curves, args.Out, error);
        var lab = args.Lab is { } dir ? LoadLab(dir, args.Seed) : CertificationLab.Create(args.Seed);
        await using var system = CreateSut(args, lab, defences, transport, fault);
        // Loud, so nobody takes this report for the reference's (its SUT description names the fault too).
        if (fault is not null) error.WriteLine(fault.Banner);
        var options = new RunOptions
        {
            Seed = args.Seed,
            RerunCommand = id => $"p2psip certify --case {id} --seed {args.Seed}" + RerunSuffix(args),
            Expectations = args.Expect is { } file ? LoadExpectations(file) : new Dictionary<string, Expectation>(),
            Tool = new ToolInfo("p2psip", BuildInfo.Version, BuildInfo.Commit),
            CaptureDirectory = Path.Combine(args.Out, "captures"),
        };
        bool outIsNew = !Directory.Exists(args.Out);
        var outDir = CheckOutputDirectory(args.Out);
        // On stdout: a setup error (an unreachable SUT, exit 2) must be the only line on stderr.
        output.WriteLine($"p2psip certify: seed {args.Seed}; reports to {outDir}");
        using var wire = StartWireCapture(args, system, outDir, output);
        CertificationReport report;
        try
        {
            report = await CertifyConsole.RunWithProgressAsync(
                observer => new CertificationRunner(lab, system, options, observer).RunAsync(selected, cancel),
                Console.IsOutputRedirected || output != Console.Out ? output : null, args.Evidence);
        }
        catch (SutSetupException e)
        {
            // The SUT could not be reached or started: nothing was run, so leave no empty --out behind.
            if (outIsNew) RemoveIfEmpty(outDir);
            throw new CliError(e.Message);
        }
        WriteReports(outDir, report, null, curves, output);
        if (!Console.IsOutputRedirected && output == Console.Out) CertifyConsole.WriteSummary(report, Spectre.Console.AnsiConsole.Console);
        return report.ExitCode;
    }

    private static IReadOnlyDictionary<string, Expectation> LoadExpectations(string file)
    {
        try { return ExpectationsFile.Load(file); }
        catch (InvalidDataException e) { throw new CliError("--expect " + e.Message); }
    }

    private static string CheckOutputDirectory(string directory)
    {
        if (File.Exists(directory)) throw new CliError($"--out {directory}: is a file, not a directory");
        try { Directory.CreateDirectory(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliError($"--out {directory}: {e.Message}"); }
        return directory;
    }

    /// <summary>
    /// The live wire capture of <c>--wire-capture</c>, or null (said in one line on standard output):
    /// without capture rights or libpcap the run goes on without it (issue 9).
    /// </summary>
    private static P2psip.Capture.WireCapture? StartWireCapture(CertifyArguments args, ISystemUnderTest system, string outDir, TextWriter output)
    {
        // The address CreateSut checked: --wire-capture goes with --sut only.
        if (args.WireCapture is not { } name || system is not ExternalSut external) return null;
        var endpoint = external.Endpoint.Address;
        var path = Path.Combine(outDir, "wire.pcap");
        var capture = P2psip.Capture.WireCapture.TryStart(name, endpoint, path, out var why);
        output.WriteLine(capture is null
            ? $"p2psip certify: {why}; going on without it"
            : $"p2psip certify: capturing {name} ({capture.Filter}) into {path}" + (args.KeyLog is { } k ? $"; key log {k}" : "; no --keylog: the capture stays encrypted"));
        return capture;
    }

    /// <summary>Removes a folder this run created when no file was written in it (empty sub-folders only).</summary>
    private static void RemoveIfEmpty(string directory)
    {
        try
        {
            if (!Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Any()) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // left as it is: the setup error is what matters
    }

    private static void WriteReports(string directory, CertificationReport report, SelfTestResult? selfTest, IReadOnlyList<ReportCurve> curves, TextWriter output)
    {
        try
        {
            var written = ReportSet.Write(directory, report, selfTest, curves);
            output.WriteLine($"reports: {string.Join(", ", written)}");
        }
        catch (ReportWriteException e)
        {
            throw new CliError(e.Message);
        }
    }

    private static async Task<int> SelfTestAsync(CertifyArguments args, IReadOnlyList<ConformanceCase> cases, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        if (args.Sut is not null || args.SutCommand is not null || args.Disable.Length > 0)
            throw new CliError("--self-test runs the embedded reference itself: it takes no --sut, --sut-command or --disable");
        var curves = CertifyCurves.Find(args.Curves, args.Out, error);
        var outDir = CheckOutputDirectory(args.Out);
        error.WriteLine($"p2psip certify --self-test: seed {args.Seed}, {cases.Count} cases, {DefenceSwitches.Catalogue.Length + 1} variants; reports to {outDir}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var variants = await SelfTest.RunAsync(cases, new RunOptions { Seed = args.Seed, Tool = new ToolInfo("p2psip", BuildInfo.Version, BuildInfo.Commit) },
            disabled => new VariantObserver(output, disabled ?? "all on"), cancel);
        var result = new SelfTestResult { Defences = DefenceSwitches.Catalogue.Select(d => d.Name).ToList(), Variants = variants };
        var verdict = SelfTestEvaluation.Evaluate(result);
        foreach (var variant in variants)
            output.WriteLine($"{variant.Disabled ?? "(all on)",-24} {(variant.Failed.Count == 0 ? "-" : string.Join(' ', variant.Failed))}");
        foreach (var problem in verdict.Problems) output.WriteLine($"self-test problem: {problem.Disabled ?? "all on"}: {problem.CaseId ?? "-"}: {problem.Why}");
        WriteReports(outDir, result.Reference!.Report, result, curves, output);
        output.WriteLine($"self-test {(verdict.Passed ? "passed" : "FAILED")}: {variants.Count} variants, {cases.Count} cases each, in {clock.Elapsed.TotalSeconds:0} s");
        return verdict.Passed ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static IReadOnlyList<ConformanceCase> Select(string[] ids)
    {
        if (ids.Length == 0) return SuiteCatalogue.All;
        var chosen = new List<ConformanceCase>();
        foreach (var id in ids)
            chosen.Add(SuiteCatalogue.Find(id) ?? throw new CliError($"--case: no case '{id}' in the catalogue (see report.json for the IDs)"));
        return chosen;
    }

    private static CertificationLab LoadLab(string directory, int seed)
    {
        try { return CertificationLab.Load(directory, seed); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException)
        {
            throw new CliError($"--lab {directory}: {e.Message}");
        }
    }

    private static readonly InjectedFault ListFaults = new("list", "", InjectedFaultEffect.Crash, _ => false);

    /// <summary>TEST ONLY (issue 12): the fault --inject-fault names, checked before anything starts; <see cref="ListFaults"/> for 'list'.</summary>
    private static InjectedFault? InjectedFaultOf(CertifyArguments args)
    {
        if (args.InjectedFault is not { } name) return null;
        if (name == "list") return ListFaults;
        var fault = InjectedFault.Find(name) ?? throw new CliError($"--inject-fault: no fault '{name}'; known: {InjectedFault.Names}");
        if (args.Sut is not null || args.SutCommand is not null)
            throw new CliError("--inject-fault plants a defect in the embedded reference: it takes no --sut (pass it to 'p2psip peer' in --sut-command)");
        if (args.SelfTest) throw new CliError("--inject-fault and --self-test exclude each other (the self-test runs the clean reference's variants)");
        return fault;
    }

    private static ISystemUnderTest CreateSut(CertifyArguments args, CertificationLab lab, DefenceSwitches defences, SutTransport transport, InjectedFault? fault = null)
    {
        if (args.Sut is { } address)
        {
            if (!System.Net.IPEndPoint.TryParse(address, out var endpoint) || endpoint.Port == 0)
                throw new CliError($"--sut: '{address}' is not HOST:PORT (an IP address and a port)");
            return new ExternalSut(new SutEndpoint(endpoint, transport, args.Lab is null ? (Wire.Opaque?)null : lab.SutIdentity.NodeId));
        }
        if (args.SutCommand is { } template)
        {
            if (lab.Directory is null) throw new CliError("--sut-command needs --lab (a directory written by 'p2psip certify init')");
            return new ProcessSut(template, lab.Directory, Path.Combine(lab.Directory, LabDirectory.SutIdentityFolder), lab.SutIdentity.NodeId, transport);
        }
        try { return new EmbeddedSut(lab, defences, transport) { InjectedFault = fault }; }
        catch (SutSetupException e) { throw new CliError(e.Message); }
    }

    private static string RerunSuffix(CertifyArguments args) =>
        string.Concat(
            args.Disable.Length > 0 ? " --disable " + string.Join(' ', args.Disable) : "",
            args.Transport != "tls" ? $" --transport {args.Transport}" : "",
            args.Lab is { } lab ? $" --lab {lab}" : "",
            args.Sut is { } sut ? $" --sut {sut}" : "",
            args.SutCommand is { } cmd ? $" --sut-command '{cmd}'" : "",
            args.InjectedFault is { } f ? $" --inject-fault {f}" : "");
}

internal sealed record CertifyArguments
{
    public int Seed { get; init; }
    public string[] Cases { get; init; } = [];
    public string[] Disable { get; init; } = [];
    public string Transport { get; init; } = "tls";
    public string? Sut { get; init; }
    public string? SutCommand { get; init; }
    public string? Lab { get; init; }
    /// <summary>TEST ONLY: a defect planted in the embedded reference (issue 12).</summary>
    public string? InjectedFault { get; init; }
    public string Out { get; init; } = "out/certify";
    public bool SelfTest { get; init; }
    public bool Evidence { get; init; }
    public string? Expect { get; init; }
    /// <summary>An interface to capture the real wire on (issue 9), with an external SUT.</summary>
    public string? WireCapture { get; init; }
    /// <summary>Where the TLS and DTLS session secrets go (NSS key log format).</summary>
    public string? KeyLog { get; init; }
    /// <summary>A folder of the simulator's attack curves for report.html (issue 10); null: OUT/curves when there.</summary>
    public string? Curves { get; init; }
}

/// <summary>Self-test progress: one line per case that did not pass.</summary>
internal sealed class VariantObserver(TextWriter output, string variant) : IRunObserver
{
    public void RunStarted(int total, string sut, int seed) => output.WriteLine($"self-test variant {variant}: {total} cases");
    public void CaseStarted(ConformanceCase @case, int index, int total) { }
    public void CaseFinished(ConformanceCase @case, CaseResult result, int index, int total)
    {
        if (!result.Verdict.IsSuccess()) output.WriteLine($"  {variant}: {@case.Id} {result.Verdict.Word()}: {result.Reason}");
    }
    public void Note(string line) => output.WriteLine($"  {variant}: {line}");
}
