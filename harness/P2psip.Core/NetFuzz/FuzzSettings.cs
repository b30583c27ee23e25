using System.Text.Json.Nodes;
using P2psip.Conformance;

namespace P2psip.NetFuzz;

/// <summary>
/// What a campaign runs (issue 12): everything needed to run it again, so the manifest and a
/// failure's folder carry it and <c>--resume</c> / <c>--rerun</c> need no other option.
/// </summary>
public sealed record FuzzSettings
{
    /// <summary>"embedded" or HOST:PORT.</summary>
    public string Target { get; init; } = "embedded";
    public string? Lab { get; init; }
    public string? SutCommand { get; init; }
    public string Transport { get; init; } = "tls";
    public string? InjectedFault { get; init; }
    public int Seed { get; init; }
    public int Generator { get; init; } = SessionGenerator.Version;
    /// <summary>Cases 0..N-1 (or, with <see cref="RangeStart"/>, that slice); null with a duration.</summary>
    public long? Cases { get; init; }
    public double? DurationSeconds { get; init; }
    public long? RangeStart { get; init; }
    public long? RangeEnd { get; init; }
    public int ShardIndex { get; init; }
    public int ShardCount { get; init; } = 1;
    public bool Resign { get; init; } = true;
    public bool StopOnFailure { get; init; }
    /// <summary>Shrink each reproduced failure (messages, then fields).</summary>
    public bool Minimise { get; init; } = true;
    public string Out { get; init; } = "out/fuzz";
    public CaseTimeouts Timeouts { get; init; } = new() { Connect = TimeSpan.FromSeconds(3), Answer = TimeSpan.FromSeconds(1) };

    public bool IsEmbedded => Target == "embedded";

    /// <summary>The case indices, in order, from <paramref name="from"/> on; endless with a duration and no range.</summary>
    public IEnumerable<long> Indices(long from = 0)
    {
        long first = RangeStart ?? 0;
        long? last = RangeEnd ?? (Cases is { } n ? first + n - 1 : null);
        for (long i = Math.Max(first, from); last is null || i <= last; i++)
            if (i % ShardCount == ShardIndex) yield return i;
    }

    public JsonObject ToJson() => new()
    {
        ["target"] = Target,
        ["lab"] = Lab,
        ["sut_command"] = SutCommand,
        ["transport"] = Transport,
        ["injected_fault"] = InjectedFault,
        ["seed"] = Seed,
        ["generator"] = Generator,
        ["cases"] = Cases,
        ["duration_seconds"] = DurationSeconds,
        ["range_start"] = RangeStart,
        ["range_end"] = RangeEnd,
        ["shard"] = $"{ShardIndex}/{ShardCount}",
        ["resign"] = Resign,
        ["stop_on_failure"] = StopOnFailure,
        ["minimise"] = Minimise,
        ["out"] = Out,
    };

    /// <summary>Reads what <see cref="ToJson"/> wrote; a missing or wrong field is an <see cref="InvalidDataException"/> naming it.</summary>
    public static FuzzSettings FromJson(JsonNode? node, string where)
    {
        if (node is not JsonObject o) throw new InvalidDataException($"{where}: not a JSON object");
        try
        {
            var shard = ((string?)o["shard"] ?? "0/1").Split('/');
            return new FuzzSettings
            {
                Target = (string?)o["target"] ?? throw new InvalidDataException($"{where}: no 'target'"),
                Lab = (string?)o["lab"],
                SutCommand = (string?)o["sut_command"],
                Transport = (string?)o["transport"] ?? "tls",
                InjectedFault = (string?)o["injected_fault"],
                Seed = (int?)o["seed"] ?? throw new InvalidDataException($"{where}: no 'seed'"),
                Generator = (int?)o["generator"] ?? throw new InvalidDataException($"{where}: no 'generator'"),
                Cases = (long?)o["cases"],
                DurationSeconds = (double?)o["duration_seconds"],
                RangeStart = (long?)o["range_start"],
                RangeEnd = (long?)o["range_end"],
                ShardIndex = int.Parse(shard[0], System.Globalization.CultureInfo.InvariantCulture),
                ShardCount = int.Parse(shard[1], System.Globalization.CultureInfo.InvariantCulture),
                Resign = (bool?)o["resign"] ?? true,
                StopOnFailure = (bool?)o["stop_on_failure"] ?? false,
                Minimise = (bool?)o["minimise"] ?? true,
                Out = (string?)o["out"] ?? "out/fuzz",
            };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{where}: {e.Message}");
        }
    }
}
