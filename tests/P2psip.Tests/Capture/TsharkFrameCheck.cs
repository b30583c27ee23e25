namespace P2psip.Tests.Capture;

/// <summary>
/// What tshark makes of a capture, by its reload-framing and reload dissectors with no settings:
/// how many DATA frames it saw, and each frame where a DATA frame had no message code, anything was
/// malformed, or an error-level expert item was raised (tshark 4.0's false alarm on SignerIdentity
/// none(3), "Unknown identity type", excepted).
/// </summary>
internal static class TsharkFrameCheck
{
    public static (int DataFrames, List<string> Problems) Run(string path)
    {
        var (exit, output, error) = ExternalTool.Run("tshark", ["-r", path, "-T", "fields",
            "-e", "frame.number", "-e", "reload_framing.type", "-e", "reload.message.code", "-e", "_ws.malformed",
            "-e", "_ws.expert.severity", "-e", "_ws.expert.message", "-E", "aggregator=|", "-E", "occurrence=a"]);
        Assert.True(exit == 0, $"tshark exit {exit} on {path}: {error}");
        int data = 0;
        var problems = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.TrimEnd('\r').Split('\t');
            var types = f[1].Length == 0 ? [] : f[1].Split('|');
            int dataHere = types.Count(t => t == "128");
            data += dataHere;
            int codes = f[2].Length == 0 ? 0 : f[2].Split('|').Length;
            if (dataHere != codes) problems.Add($"frame {f[0]}: {dataHere} DATA frames, {codes} message codes");
            if (f[3].Length > 0) problems.Add($"frame {f[0]}: malformed");
            var severities = f[4].Length == 0 ? [] : f[4].Split('|');
            var messages = f[5].Length == 0 ? [] : f[5].Split('|');
            for (int i = 0; i < severities.Length; i++)
                if (long.Parse(severities[i]) >= 0x00800000 && (i >= messages.Length || messages[i] != "Unknown identity type"))
                    problems.Add($"frame {f[0]}: expert error '{(i < messages.Length ? messages[i] : "")}'");
        }
        return (data, problems);
    }
}
