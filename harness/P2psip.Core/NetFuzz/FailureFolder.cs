using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using P2psip.Capture;
using P2psip.Conformance;

namespace P2psip.NetFuzz;

/// <summary>
/// <c>DIR/failures/ID/</c> (issue 12): the messages sent (hex, one decoded line each, a pcap of
/// the plaintext messages, one TCP flow per party, and <c>scenario.yaml</c> that reruns them with
/// <c>p2psip scenario run</c>, see <see cref="FailureScenario"/>), and <c>failure.json</c> with everything a rerun
/// needs (target, fault, lab, transport, seed, generator version, case ID), read back by
/// <see cref="Load"/> for <c>p2psip fuzz --rerun</c>.
/// </summary>
public static class FailureFolder
{
    public const string FileName = "failure.json";

    public static string Write(string outDir, FuzzSettings settings, FuzzFailure failure, string tool)
    {
        var dir = Path.Combine(outDir, "failures", failure.Id.ToString());
        Directory.CreateDirectory(dir);
        var sent = failure.Outcome.Sent;
        WriteMessages(dir, failure.Outcome);
        WriteScenario(dir, failure.Outcome, settings);
        if (failure.Minimised is { } minimised)
        {
            var minimisedDir = Directory.CreateDirectory(Path.Combine(dir, "minimised")).FullName;
            WriteMessages(minimisedDir, minimised);
            WriteScenario(minimisedDir, minimised, settings);
        }
        // With a tail (minimisation, stage 1), the rerun runs it first: the same shard's cases from its first one.
        var tail = failure.Tail;
        var rerunSettings = tail.Count == 0
            ? settings with { Cases = null, DurationSeconds = null, RangeStart = failure.Id.Index, RangeEnd = failure.Id.Index, ShardIndex = 0, ShardCount = 1 }
            : settings with { Cases = null, DurationSeconds = null, RangeStart = tail[0].Index, RangeEnd = failure.Id.Index };
        var json = new JsonObject
        {
            ["case_id"] = failure.Id.ToString(),
            ["digest"] = failure.Outcome.Digest,
            ["verdict"] = failure.Verdict,
            ["liveness"] = failure.Outcome.Liveness.ToString(),
            ["rerun_liveness"] = failure.Rerun?.ToString(),
            ["rerun_note"] = failure.RerunNote,
            ["preceding_cases"] = new JsonArray(tail.Select(t => (JsonNode)JsonValue.Create(t.ToString())!).ToArray()),
            ["messages"] = sent.Count,
            ["minimised_messages"] = failure.Minimised?.Sent.Count,
            ["minimised_mutations"] = failure.Minimised is { } m ? new JsonArray(m.Mutations.Select(x => (JsonNode)JsonValue.Create(x)!).ToArray()) : null,
            ["tool"] = tool,
            ["rerun"] = $"p2psip fuzz --rerun {dir}",
            ["scenario"] = FailureScenario.RunCommand(Path.Combine(dir, FailureScenario.FileName), settings),
            ["settings"] = rerunSettings.ToJson(),
        };
        File.WriteAllText(Path.Combine(dir, FileName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return dir;
    }

    /// <summary>The settings and case of a failure folder; a bad folder is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static (FuzzSettings Settings, FuzzCaseId Id) Load(string dir)
    {
        var file = Path.Combine(dir, FileName);
        if (!File.Exists(file)) throw new InvalidDataException($"{file}: no such file (a failure folder holds one)");
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(file)); }
        catch (JsonException e) { throw new InvalidDataException($"{file}: not JSON: {e.Message}"); }
        var settings = FuzzSettings.FromJson(root?["settings"], file + " settings");
        if ((string?)root?["case_id"] is not { } text || !FuzzCaseId.TryParse(text, out var id))
            throw new InvalidDataException($"{file}: case_id missing or not an ID like g2-s42-000017");
        return (settings, id);
    }

    private static void WriteMessages(string dir, FuzzCaseOutcome outcome)
    {
        var hex = new StringBuilder();
        var text = new StringBuilder();
        for (int i = 0; i < outcome.Sent.Count; i++)
        {
            var m = outcome.Sent[i];
            hex.Append(FuzzParties.Names[m.Party]).Append('\t').AppendLine(Convert.ToHexStringLower(m.Bytes));
            text.AppendLine($"#{i} {FuzzParties.Names[m.Party]} {m.Label}{(m.Resigned ? " (re-signed)" : "")}: {EvidenceLog.Summarise(m.Bytes)}");
        }
        foreach (var note in outcome.Mutations) text.AppendLine("mutation: " + note);
        text.AppendLine("liveness after it: " + outcome.Liveness);
        File.WriteAllText(Path.Combine(dir, "messages.hex"), hex.ToString());
        File.WriteAllText(Path.Combine(dir, "messages.txt"), text.ToString());
        WritePcap(Path.Combine(dir, "messages.pcap"), outcome.Sent);
    }

    /// <summary>The session as a scenario's steps with the liveness expectation (<see cref="FailureScenario"/>).</summary>
    private static void WriteScenario(string dir, FuzzCaseOutcome outcome, FuzzSettings settings) =>
        File.WriteAllText(Path.Combine(dir, FailureScenario.FileName), Adversary.ScenarioFile.Save(FailureScenario.Build(outcome, settings)));

    private static void WritePcap(string path, IReadOnlyList<SentMessage> sent)
    {
        try
        {
            using var pcap = new PcapCaptureWriter(path);
            var flows = new Dictionary<int, PcapTcpFlow>();
            foreach (var m in sent)
            {
                if (!flows.TryGetValue(m.Party, out var flow)) flows[m.Party] = flow = pcap.OpenTcpFlow();
                flow.SendMessage(m.Bytes);
            }
        }
        catch (CaptureFileException e)
        {
            // The hex and text files hold the same messages; say why the capture is missing.
            File.WriteAllText(path + ".missing.txt", e.Message + Environment.NewLine);
        }
    }
}
