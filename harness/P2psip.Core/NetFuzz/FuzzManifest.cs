using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2psip.NetFuzz;

/// <summary>
/// <c>DIR/manifest.json</c>, rewritten as the campaign goes (issue 12): tool, settings, where it got
/// to and what it found, so a killed campaign resumes (<c>--resume DIR</c>) and a night reruns from it.
/// </summary>
public sealed record FuzzManifest
{
    public const string FileName = "manifest.json";

    public required string Tool { get; init; }
    public required FuzzSettings Settings { get; init; }
    public DateTimeOffset Started { get; init; }
    /// <summary>Every case before this index (of this shard) has been run.</summary>
    public long NextIndex { get; init; }
    public long CasesRun { get; init; }
    public double Seconds { get; init; }
    public int Restarts { get; init; }
    public IReadOnlyList<string> Failures { get; init; } = [];
    public bool Finished { get; init; }

    public void Write(string dir)
    {
        var json = new JsonObject
        {
            ["tool"] = Tool,
            ["settings"] = Settings.ToJson(),
            ["started"] = Started.ToString("O"),
            ["updated"] = DateTimeOffset.UtcNow.ToString("O"),
            ["next_index"] = NextIndex,
            ["cases_run"] = CasesRun,
            ["seconds"] = Math.Round(Seconds, 3),
            ["restarts"] = Restarts,
            ["failures"] = new JsonArray(Failures.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            ["finished"] = Finished,
            ["resume"] = $"p2psip fuzz --resume {dir}",
        };
        var file = Path.Combine(dir, FileName);
        var temp = file + ".tmp";
        File.WriteAllText(temp, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, file, overwrite: true);
    }

    public static FuzzManifest Load(string dir)
    {
        var file = Path.Combine(dir, FileName);
        if (!File.Exists(file)) throw new InvalidDataException($"{file}: no such file (--resume takes a campaign's --out directory)");
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(file)); }
        catch (JsonException e) { throw new InvalidDataException($"{file}: not JSON: {e.Message}"); }
        try
        {
            return new FuzzManifest
            {
                Tool = (string?)root?["tool"] ?? "",
                Settings = FuzzSettings.FromJson(root?["settings"], file + " settings") with { Out = dir },
                Started = DateTimeOffset.Parse((string?)root?["started"] ?? throw new InvalidDataException($"{file}: no 'started'"), System.Globalization.CultureInfo.InvariantCulture),
                NextIndex = (long?)root?["next_index"] ?? throw new InvalidDataException($"{file}: no 'next_index'"),
                CasesRun = (long?)root?["cases_run"] ?? 0,
                Seconds = (double?)root?["seconds"] ?? 0,
                Restarts = (int?)root?["restarts"] ?? 0,
                Failures = root?["failures"]?.AsArray().Select(n => (string?)n ?? "").ToList() ?? [],
                Finished = (bool?)root?["finished"] ?? false,
            };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{file}: {e.Message}");
        }
    }
}
