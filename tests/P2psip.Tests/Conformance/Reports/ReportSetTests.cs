using System.Text;
using P2psip.Conformance;
using P2psip.Conformance.Reports;

namespace P2psip.Tests.Conformance.Reports;

public class ReportSetTests
{
    private static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "p2psip-tests", "reports-" + Guid.NewGuid().ToString("N"));
        return directory;
    }

    [Fact]
    public void Writes_the_three_reports_and_selftest_json_when_given_a_self_test_and_leaves_no_temporary()
    {
        var directory = NewDirectory();
        var selfTest = SelfTestSamples.Holding();
        var written = ReportSet.Write(directory, selfTest.Reference!.Report, selfTest);
        Assert.Equal([ReportSet.Json, ReportSet.Junit, ReportSet.Html, ReportSet.SelfTest], written.Select(Path.GetFileName));
        Assert.All(written, path => Assert.True(new FileInfo(path).Length > 0, path));
        Assert.Equal(ReportJson.Render(selfTest.Reference.Report), File.ReadAllBytes(Path.Combine(directory, ReportSet.Json)));
        Assert.Equal(written.Order(), Directory.GetFileSystemEntries(directory).Order());
        Assert.Contains("selftest-matrix", File.ReadAllText(Path.Combine(directory, ReportSet.Html)));
    }

    [Fact]
    public void Without_a_self_test_there_is_no_selftest_json_and_other_files_stay()
    {
        var directory = NewDirectory();
        Directory.CreateDirectory(Path.Combine(directory, "captures"));
        File.WriteAllText(Path.Combine(directory, "captures", "TR-2b-03.pcap"), "capture");
        var written = ReportSet.Write(directory, SyntheticReport.Every());
        Assert.Equal([ReportSet.Json, ReportSet.Junit, ReportSet.Html], written.Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(directory, ReportSet.SelfTest)));
        Assert.Equal("capture", File.ReadAllText(Path.Combine(directory, "captures", "TR-2b-03.pcap")));
    }

    [Fact]
    public void A_report_that_cannot_be_rendered_leaves_the_previous_reports_untouched()
    {
        var directory = NewDirectory();
        ReportSet.Write(directory, SyntheticReport.Every());
        var before = Snapshot(directory);

        var cases = SyntheticReport.EveryVerdict().ToList();
        cases[^1] = cases[^1] with { Result = cases[^1].Result with { Verdict = (Verdict)99 } };
        Assert.ThrowsAny<Exception>(() => ReportSet.Write(directory, SyntheticReport.Every(cases)));
        Assert.Equal(before, Snapshot(directory));
    }

    [Fact]
    public void A_write_that_fails_leaves_the_previous_reports_untouched_and_names_the_path()
    {
        var directory = NewDirectory();
        ReportSet.Write(directory, SyntheticReport.Every([]));
        File.Delete(Path.Combine(directory, ReportSet.Html));
        Directory.CreateDirectory(Path.Combine(directory, ReportSet.Html)); // in the way of the last file
        var before = Snapshot(directory);

        var e = Assert.Throws<ReportWriteException>(() => ReportSet.Write(directory, SyntheticReport.Every()));
        Assert.Contains(Path.Combine(directory, ReportSet.Html), e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(before, Snapshot(directory));
    }

    [Fact]
    public void A_directory_that_cannot_be_created_is_one_line_naming_it()
    {
        var file = Path.Combine(Path.GetTempPath(), "p2psip-tests", "not-a-directory-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "x");
        var e = Assert.Throws<ReportWriteException>(() => ReportSet.Write(Path.Combine(file, "out"), SyntheticReport.Every()));
        Assert.Contains(file, e.Message);
        Assert.Equal("x", File.ReadAllText(file));
    }

    /// <summary>Every entry of the directory with its content (files) or "dir", sorted.</summary>
    private static string Snapshot(string directory) => string.Join("\n",
        Directory.GetFileSystemEntries(directory, "*", SearchOption.AllDirectories).Order()
            .Select(p => File.Exists(p) ? $"{p}: {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p)))}" : $"{p}: dir"));
}
