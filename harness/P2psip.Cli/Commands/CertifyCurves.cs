using System.Text.Json;
using P2psip.Adversary.Personas;
using P2psip.Conformance.Reports;

namespace P2psip.Cli.Commands;

/// <summary>
/// The simulator's attack curves that certify's report.html links (issue 10 item 3: "the certify
/// HTML report links it when present"): the folder <c>--curves DIR</c> names, or OUT/curves when it
/// exists; a curve is a folder written by <c>p2psip sim curve --out</c> (curve.json, curve.csv,
/// curve.svg/png), DIR itself or each folder in it. Read before the run starts, so a bad file is
/// reported before anything runs.
/// </summary>
internal static class CertifyCurves
{
    public const string DefaultFolder = "curves";

    /// <summary>
    /// The curves to link from a report written into <paramref name="reportDirectory"/>. With an
    /// explicit folder every problem is a <see cref="CliError"/> naming the file; OUT/curves, looked
    /// at only because it is there, is skipped with one line on <paramref name="error"/> instead.
    /// </summary>
    public static IReadOnlyList<ReportCurve> Find(string? explicitFolder, string reportDirectory, TextWriter error)
    {
        var explicitly = explicitFolder is not null;
        var folder = Path.GetFullPath(explicitFolder ?? Path.Combine(reportDirectory, DefaultFolder));
        if (!Directory.Exists(folder))
        {
            if (explicitly) throw new CliError($"--curves {explicitFolder}: no such directory");
            return [];
        }
        var candidates = File.Exists(Path.Combine(folder, "curve.json"))
            ? [folder]
            : Directory.GetDirectories(folder).Where(d => File.Exists(Path.Combine(d, "curve.json"))).Order(StringComparer.Ordinal).ToList();
        if (candidates.Count == 0)
        {
            if (explicitly) throw new CliError($"--curves {explicitFolder}: no curve.json there or in its folders (write one with 'p2psip sim curve --out {explicitFolder}/NAME')");
            return [];
        }
        var curves = new List<ReportCurve>();
        foreach (var dir in candidates)
        {
            try { curves.Add(Read(dir, reportDirectory)); }
            catch (CliError e) when (!explicitly)
            {
                error.WriteLine($"p2psip certify: not linking a curve: {e.Message}");
            }
        }
        return curves;
    }

    private static ReportCurve Read(string dir, string reportDirectory)
    {
        var json = Path.Combine(dir, "curve.json");
        PopulationCurve? curve;
        try { curve = JsonSerializer.Deserialize<PopulationCurve>(File.ReadAllBytes(json)); }
        catch (JsonException e) { throw new CliError($"{json}: not a curve written by 'p2psip sim curve': {e.Message}"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliError($"{json}: {e.Message}"); }
        if (curve is null || curve.Points.Count == 0) throw new CliError($"{json}: the curve has no points");
        var image = new[] { "curve.svg", "curve.png" }.Select(n => Path.Combine(dir, n)).FirstOrDefault(File.Exists)
            ?? throw new CliError($"{dir}: no curve.svg or curve.png beside curve.json");
        var modes = string.Join(", ", curve.Points.Select(p => p.LookupMode).Distinct());
        return new ReportCurve
        {
            Title = $"{curve.Persona}, {curve.Peers} peers, seed {curve.Seed}, {curve.Lookups} lookups per point, lookup modes {modes}"
                + (curve.DefencesOff.Count > 0 ? $", defences off: {string.Join(", ", curve.DefencesOff)}" : ""),
            Image = Relative(image, reportDirectory),
            Csv = Relative(Path.Combine(dir, "curve.csv"), reportDirectory),
            Json = Relative(json, reportDirectory),
            Points = curve.Points.Select(p => new ReportCurve.Point(p.LookupMode, p.MaliciousFraction, p.CorrectAnswerRate, p.Analytic)).ToList(),
        };
    }

    private static string Relative(string path, string reportDirectory) =>
        Path.GetRelativePath(Path.GetFullPath(reportDirectory), path).Replace(Path.DirectorySeparatorChar, '/');
}
