using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2psip.NetFuzz;

/// <summary>
/// <c>p2psip fuzz merge DIR...</c> (issue 12): the shards of one campaign (same target, seed and
/// generator) into one report: every case once, in index order, with every failure folder named.
/// Shards run side by side, so cases/s is all cases over the longest shard's time.
/// </summary>
public static class FuzzMerge
{
    public static FuzzCampaignResultSummary Merge(IReadOnlyList<string> dirs, string outDir)
    {
        if (dirs.Count == 0) throw new InvalidDataException("fuzz merge: name the campaign directories to merge");
        var manifests = dirs.Select(FuzzManifest.Load).ToList();
        var first = manifests[0].Settings;
        for (int i = 1; i < manifests.Count; i++)
        {
            var s = manifests[i].Settings;
            if (s.Seed != first.Seed || s.Generator != first.Generator || s.Target != first.Target || s.InjectedFault != first.InjectedFault)
                throw new InvalidDataException($"{Path.Combine(dirs[i], FuzzManifest.FileName)}: another campaign (seed {s.Seed}, g{s.Generator}, target {s.Target}) than {dirs[0]} (seed {first.Seed}, g{first.Generator}, target {first.Target})");
        }
        var lines = new SortedDictionary<long, string>();
        for (int i = 0; i < dirs.Count; i++)
        {
            var file = Path.Combine(dirs[i], FuzzCampaign.CasesFile);
            if (!File.Exists(file)) throw new InvalidDataException($"{file}: no such file");
            foreach (var line in File.ReadLines(file))
            {
                if (!FuzzCaseId.TryParse(line.Split('\t')[0], out var id)) throw new InvalidDataException($"{file}: '{line}' does not start with a case ID");
                if (!lines.TryAdd(id.Index, line)) throw new InvalidDataException($"{file}: case {id} is also in another shard");
            }
        }
        var failures = manifests.SelectMany((m, i) => m.Failures.Select(f => Path.Combine(dirs[i], "failures", f))).ToList();
        var summary = new FuzzCampaignResultSummary(lines.Count, manifests.Max(m => m.Seconds), failures, manifests.Sum(m => m.Restarts),
            manifests.All(m => m.Finished));
        Directory.CreateDirectory(outDir);
        File.WriteAllLines(Path.Combine(outDir, FuzzCampaign.CasesFile), lines.Values);
        var json = new JsonObject
        {
            ["settings"] = first.ToJson(),
            ["shards"] = new JsonArray(dirs.Select(d => (JsonNode)JsonValue.Create(d)!).ToArray()),
            ["cases"] = summary.Cases,
            ["seconds"] = Math.Round(summary.Seconds, 3),
            ["cases_per_sec"] = Math.Round(summary.CasesPerSecond, 1),
            ["failures"] = new JsonArray(failures.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            ["restarts"] = summary.Restarts,
            ["all_finished"] = summary.AllFinished,
        };
        File.WriteAllText(Path.Combine(outDir, FuzzCampaign.SummaryFile), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return summary;
    }
}

/// <summary>A merged report's totals.</summary>
public sealed record FuzzCampaignResultSummary(long Cases, double Seconds, IReadOnlyList<string> Failures, int Restarts, bool AllFinished)
{
    public double CasesPerSecond => Seconds > 0 ? Cases / Seconds : 0;

    public string SummaryLine => string.Create(CultureInfo.InvariantCulture,
        $"SUMMARY cases={Cases} cases_per_sec={CasesPerSecond:0.0} failures={Failures.Count} restarts={Restarts}");
}
