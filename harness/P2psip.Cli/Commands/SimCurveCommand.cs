using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using P2psip.Adversary.Personas;
using P2psip.Cli.Files;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip sim curve --peers N --persona NAME --fractions 0,0.05,... --lookup plain[,redundant:4] --out DIR</c>:
/// one malicious population per fraction and lookup mode, from one seed, written as curve.csv,
/// curve.json, curve.png and curve.svg in DIR (issue 10, item 3).
/// </summary>
internal static class SimCurveCommand
{
    public static Command Create()
    {
        var peers = new Option<int>("--peers") { Description = "Number of peers in the ring", DefaultValueFactory = _ => 100 };
        var seed = new Option<int?>("--seed") { Description = "Seed of every random choice (random if omitted; the curve records it)" };
        var lookups = new Option<int>("--lookups") { Description = "Value lookups per point", DefaultValueFactory = _ => 200 };
        var fractions = new Option<string>("--fractions") { Description = "Malicious fractions, comma-separated", DefaultValueFactory = _ => "0,0.05,0.1,0.15,0.2,0.25,0.3,0.35,0.4,0.45,0.5" };
        var lookup = new Option<string>("--lookup") { Description = "Lookup modes, comma-separated: plain, redundant[:d]", DefaultValueFactory = _ => LookupModes.Plain };
        var disable = new Option<string[]>("--disable") { Description = "Defences to switch off (names as in THREATS.md)", AllowMultipleArgumentsPerToken = true };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Directory for curve.csv, curve.json, curve.png and curve.svg", Required = true };
        var population = PopulationArguments.Create();
        var command = new Command("curve", "Correct-answer rate against the fraction of malicious peers, per lookup mode (CSV, JSON, PNG, SVG)");
        command.Options.Add(peers);
        command.Options.Add(seed);
        command.Options.Add(lookups);
        command.Options.Add(fractions);
        command.Options.Add(lookup);
        command.Options.Add(disable);
        command.Options.Add(outDir);
        population.AddTo(command, withMalicious: false);
        command.SetAction(r =>
        {
            var fs = ParseFractions(r.GetValue(fractions) ?? "");
            var modes = (r.GetValue(lookup) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
            if (modes.Count == 0) throw new CliError("--lookup: give at least one lookup mode");
            int s = r.GetValue(seed) ?? Random.Shared.Next();
            // Every option checked (each mode and the largest fraction) before anything runs.
            PopulationOptions template = population.Read(r, r.GetValue(peers), s, r.GetValue(lookups), r.GetValue(disable) ?? [], fs.Max(), modes[0]);
            foreach (var mode in modes)
                try { LookupModes.Check(mode); }
                catch (ArgumentException e) { throw new CliError($"--lookup: {e.Message}"); }
            var dir = r.GetValue(outDir)!;
            if (File.Exists(dir.FullName)) throw new CliError($"--out {dir.FullName}: is a file, not a directory");
            return Run(template, fs, modes, dir.FullName, r.InvocationConfiguration.Output, r.InvocationConfiguration.Error);
        });
        return command;
    }

    internal static List<double> ParseFractions(string text)
    {
        var result = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) || double.IsNaN(f) || f < 0 || f >= 1)
                throw new CliError($"--fractions: '{part}' is not a fraction at least 0 and below 1");
            if (!result.Contains(f)) result.Add(f);
        }
        if (result.Count == 0) throw new CliError("--fractions: give at least one fraction");
        result.Sort();
        return result;
    }

    internal static int Run(PopulationOptions template, IReadOnlyList<double> fractions, IReadOnlyList<string> modes, string dir, TextWriter output, TextWriter error)
    {
        error.WriteLine($"p2psip sim curve: {template.Peers} peers, seed {template.Seed}, persona {template.Persona}, fractions {string.Join(",", fractions.Select(f => f.ToString(CultureInfo.InvariantCulture)))}, lookups {string.Join(",", modes)}");
        var curve = PopulationCurve.Run(template, fractions, modes, line => { lock (error) error.WriteLine($"p2psip sim curve: {line}"); });
        Directory.CreateDirectory(dir);
        var plot = CurvePlot.Build(curve);
        var json = JsonSerializer.Serialize(curve, new JsonSerializerOptions { WriteIndented = true });
        // The four files appear together or not at all.
        using (var set = new OutputSet())
        {
            set.Add(Path.Combine(dir, "curve.csv"), temp => File.WriteAllText(temp, curve.ToCsv()));
            set.Add(Path.Combine(dir, "curve.json"), temp => File.WriteAllText(temp, json + "\n"));
            set.Add(Path.Combine(dir, "curve.png"), temp => File.WriteAllBytes(temp, plot.GetImageBytes(CurvePlot.Width, CurvePlot.Height, ScottPlot.ImageFormat.Png)));
            set.Add(Path.Combine(dir, "curve.svg"), temp => File.WriteAllText(temp, plot.GetSvgXml(CurvePlot.Width, CurvePlot.Height)));
            set.Commit();
        }
        output.WriteLine(json);
        error.WriteLine($"p2psip sim curve: wrote curve.csv, curve.json, curve.png and curve.svg in {dir}");
        return ExitCodes.Ok;
    }
}
