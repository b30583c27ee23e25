namespace P2psip.Conformance.Reports;

/// <summary>
/// Writes a run's reports into a directory (issue 13: "each written whole or not at all").
/// Every file is rendered in memory first (a rendering fault writes nothing); then all are written
/// into a fresh temporary directory inside the target directory (so on the same file system) and
/// flushed to disk; only when every one is there is each renamed over its target. A failure before
/// the renames leaves every previous report as it was; a rename replaces a file whole, never half.
/// Other files in the directory (captures) are left alone.
/// </summary>
public static class ReportSet
{
    public const string Json = "report.json";
    public const string Junit = "junit.xml";
    public const string Html = "report.html";
    public const string SelfTest = "selftest.json";

    /// <summary>
    /// Writes report.json, junit.xml and report.html for <paramref name="report"/> into
    /// <paramref name="directory"/> (created when missing), and selftest.json with the HTML's
    /// self-test matrix when <paramref name="selfTest"/> is given (then <paramref name="report"/> is
    /// normally its all-on reference run); report.html links the simulator's <paramref name="curves"/>. Returns the paths written, in that order. Throws
    /// <see cref="ReportWriteException"/>, one line naming the path, when it cannot write.
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, CertificationReport report, SelfTestResult? selfTest = null,
        IReadOnlyList<ReportCurve>? curves = null)
    {
        var verdict = selfTest is null ? null : SelfTestEvaluation.Evaluate(selfTest);
        var files = new List<(string Name, byte[] Bytes)>
        {
            (Json, ReportJson.Render(report)),
            (Junit, JunitXml.Render(report)),
            (Html, HtmlReport.Render(report, selfTest, verdict, curves)),
        };
        if (selfTest is not null) files.Add((SelfTest, SelfTestJson.Render(selfTest, verdict!)));
        return WriteAll(directory, files);
    }

    /// <summary>Writes the named contents into <paramref name="directory"/>, all or none (see the class).</summary>
    public static IReadOnlyList<string> WriteAll(string directory, IReadOnlyList<(string Name, byte[] Bytes)> files)
    {
        var target = Path.GetFullPath(directory);
        string? temp = null;
        try
        {
            Directory.CreateDirectory(target);
            foreach (var (name, _) in files)
            {
                if (Path.GetFileName(name) != name) throw new ArgumentException($"report file name '{name}' is not a plain name", nameof(files));
                var destination = Path.Combine(target, name);
                if (Directory.Exists(destination)) throw new ReportWriteException($"{destination}: cannot write: a directory is in the way");
            }

            temp = Path.Combine(target, $".reports-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
            Directory.CreateDirectory(temp);
            foreach (var (name, bytes) in files)
            {
                using var stream = new FileStream(Path.Combine(temp, name), FileMode.CreateNew, FileAccess.Write, FileShare.None);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            var written = new List<string>();
            foreach (var (name, _) in files)
            {
                var destination = Path.Combine(target, name);
                File.Move(Path.Combine(temp, name), destination, overwrite: true);
                written.Add(destination);
            }
            return written;
        }
        catch (Exception e) when (e is IOException and not ReportWriteException or UnauthorizedAccessException)
        {
            throw new ReportWriteException($"{target}: cannot write the reports: {e.Message}", e);
        }
        finally
        {
            if (temp is not null) TryDeleteDirectory(temp);
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The reports could not be written; the message is one line naming the path.</summary>
public sealed class ReportWriteException(string message, Exception? inner = null) : IOException(message, inner);
