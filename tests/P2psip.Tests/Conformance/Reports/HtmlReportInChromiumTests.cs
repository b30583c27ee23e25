using System.Text.RegularExpressions;
using P2psip.Conformance.Reports;
using P2psip.Tests.Capture;

namespace P2psip.Tests.Conformance.Reports;

/// <summary>
/// An independent check: report.html opened in headless Chromium (Debian's chromium, installed by
/// .ci/setup) renders with no script error, the page's script ran (it sets
/// <see cref="HtmlReport.ReadyAttribute"/> to the number of matrix rows it found), and the matrix
/// is in the rendered DOM.
/// </summary>
[Trait("Category", "External")]
public class HtmlReportInChromiumTests
{
    internal static (string Dom, string Log) Open(string path)
    {
        var profile = Path.Combine(Path.GetTempPath(), "p2psip-tests", "chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        try
        {
            var (exit, output, error) = ExternalTool.Run(Chromium(), [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                $"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                "--dump-dom", new Uri(path).AbsoluteUri], TimeSpan.FromMinutes(2));
            Assert.True(exit == 0, $"chromium exit {exit}: {error}");
            return (output, error);
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }

    private static string Chromium()
    {
        foreach (var candidate in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" })
            if (File.Exists(candidate)) return candidate;
        Assert.Fail("chromium is not installed: run .ci/setup (Debian package chromium)");
        return "";
    }

    private static string Write(bool selfTest)
    {
        var directory = Path.Combine(Path.GetTempPath(), "p2psip-tests", "html-" + Guid.NewGuid().ToString("N"));
        var result = SelfTestSamples.Holding();
        if (selfTest) ReportSet.Write(directory, result.Reference!.Report, result);
        else ReportSet.Write(directory, SyntheticReport.Every());
        return Path.Combine(directory, ReportSet.Html);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_report_renders_with_no_script_error_and_shows_the_matrix(bool selfTest)
    {
        var (dom, log) = Open(Write(selfTest));
        Assert.DoesNotContain("Uncaught", log);
        Assert.Matches($"<html [^>]*{HtmlReport.ReadyAttribute}=\"{ThreatCatalogue.All.Count}\"", dom);
        Assert.Contains("<table id=\"threat-matrix\"", dom);
        Assert.Equal(ThreatCatalogue.All.Count, Regex.Matches(dom, "<tr data-threat=").Count);
        Assert.Equal(selfTest, dom.Contains("<table id=\"selftest-matrix\""));
        Assert.DoesNotContain("<script>alert", dom);
    }

    [Fact]
    public void A_script_error_would_be_seen()
    {
        // The check above must be able to fail: a page whose script throws shows "Uncaught" in the log
        // and never sets the marker.
        var path = Path.Combine(Path.GetTempPath(), "p2psip-tests", $"broken-{Guid.NewGuid():N}.html");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "<!DOCTYPE html><html><body><script>document.getElementById('nothing').click();document.documentElement.setAttribute('data-report-ready','1');</script></body></html>");
        var (dom, log) = Open(path);
        Assert.Contains("Uncaught", log);
        Assert.DoesNotMatch($"<html[^>]*{HtmlReport.ReadyAttribute}", dom);
        Assert.Contains("<html", dom);
    }
}
