using System.CommandLine;
using P2psip.Conformance;
using P2psip.Conformance.Catalogue;
using P2psip.Conformance.Probe;
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
        var output = new Option<string>("--out") { Description = "Directory for the reports", DefaultValueFactory = _ => "out/certify" };
        var command = new Command("certify", "Run the conformance suite against a peer and write report.json, junit.xml and report.html");
        foreach (var option in new Option[] { seed, cases, disable, transport, sut, sutCommand, lab, output }) command.Options.Add(option);
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
        }, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancel));
        return command;
    }

    internal static async Task<int> RunAsync(CertifyArguments args, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        var transport = SutTransportNames.Parse(args.Transport)
            ?? throw new CliError($"--transport: unknown transport '{args.Transport}'; known: tls, dtls, insecure-tcp, insecure-tcp-unframed");
        var selected = Select(args.Cases);
        var defences = DefenceSwitches.AllOn;
        try { defences = defences.Disable(args.Disable); }
        catch (ArgumentException e) { throw new CliError("--disable: " + e.Message.Split(" (Parameter")[0]); }
        var lab = args.Lab is { } dir ? LoadLab(dir, args.Seed) : CertificationLab.Create(args.Seed);
        await using var system = CreateSut(args, lab, defences, transport);
        var runner = new CertificationRunner(lab, system, new RunOptions
        {
            Seed = args.Seed,
            RerunCommand = id => $"p2psip certify --case {id} --seed {args.Seed}" + RerunSuffix(args),
        }, new PlainRunObserver(output));
        error.WriteLine($"p2psip certify: seed {args.Seed}");
        CertificationReport report;
        try
        {
            report = await runner.RunAsync(selected, cancel);
        }
        catch (SutSetupException e)
        {
            throw new CliError(e.Message);
        }
        foreach (var verdict in VerdictNames.All)
            if (report.Count(verdict) > 0) output.WriteLine($"{verdict.Word()}: {report.Count(verdict)}");
        return report.ExitCode;
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

    private static ISystemUnderTest CreateSut(CertifyArguments args, CertificationLab lab, DefenceSwitches defences, SutTransport transport)
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
        try { return new EmbeddedSut(lab, defences, transport); }
        catch (SutSetupException e) { throw new CliError(e.Message); }
    }

    private static string RerunSuffix(CertifyArguments args) =>
        string.Concat(
            args.Disable.Length > 0 ? " --disable " + string.Join(' ', args.Disable) : "",
            args.Transport != "tls" ? $" --transport {args.Transport}" : "",
            args.Lab is { } lab ? $" --lab {lab}" : "",
            args.Sut is { } sut ? $" --sut {sut}" : "",
            args.SutCommand is { } cmd ? $" --sut-command '{cmd}'" : "");
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
    public string Out { get; init; } = "out/certify";
}
