using P2psip.Cli.Certify;
using P2psip.Conformance;
using Spectre.Console;

namespace P2psip.Tests.Conformance.Reports;

public class CertifyConsoleTests
{
    private static (IAnsiConsole Console, StringWriter Text) Capture(int width = 160)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = width;
        return (console, text);
    }

    [Fact]
    public async Task Plain_progress_is_one_line_per_case_with_n_of_N_and_the_reason_unless_it_passed()
    {
        var text = new StringWriter();
        var cases = SyntheticReport.EveryVerdict();
        var result = await CertifyConsole.RunWithProgressAsync(progress =>
        {
            progress.RunStarted(cases.Count, "embedded reference peer", 1234);
            for (int i = 0; i < cases.Count; i++)
            {
                progress.CaseStarted(cases[i].Case, i, cases.Count);
                progress.CaseFinished(cases[i].Case, cases[i].Result, i, cases.Count);
            }
            progress.Note("SUT restarted after UN-5-01");
            return Task.FromResult(42);
        }, text);
        Assert.Equal(42, result);
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("certify: 9 cases against embedded reference peer, seed 1234", lines[0]);
        Assert.Equal("[1/9] PC-1-01 pass (0.10 s) A wrong token is dropped", lines[1]);
        Assert.StartsWith("[3/9] TR-2b-03 fail (0.15 s) Store by a non-owner", lines[3]);
        Assert.EndsWith(": got store_ans, expected Error_Forbidden: " + SyntheticReport.Hostile, lines[3]);
        Assert.Equal("certify: done: pass 2, pass-lenient 1, fail 2, crash 1, inconclusive 1, not-applicable 1, error 1", lines[10]);
        Assert.Equal("note: SUT restarted after UN-5-01", lines[11]);
    }

    [Fact]
    public async Task With_evidence_each_message_and_note_follows_its_case()
    {
        var text = new StringWriter();
        var fail = SyntheticReport.EveryVerdict().Single(c => c.Case.Id == "TR-2b-03");
        await CertifyConsole.RunWithProgressAsync(progress =>
        {
            progress.RunStarted(1, "sut", 1);
            progress.CaseFinished(fail.Case, fail.Result, 0, 1);
            return Task.FromResult(0);
        }, text, showEvidence: true);
        var lines = text.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("    12:00:00.010 probe -> store_req tid=0000000000000001 ttl=100 (7 bytes)", lines[2]);
        Assert.StartsWith("    12:00:00.012 probe <- undecodable (4 bytes)", lines[3]);
        Assert.Equal("    note: fetch afterwards returned the forged value", lines[4]);
    }

    [Fact]
    public async Task The_live_display_shows_case_n_of_N_the_current_ID_and_the_counts_so_far()
    {
        var text = new StringWriter();
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.TrueColor,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(text),
        });
        terminal.Profile.Width = 200;
        terminal.Profile.Capabilities.Interactive = true;
        var cases = SyntheticReport.EveryVerdict();
        var result = await CertifyConsole.RunLiveAsync(terminal, async progress =>
        {
            progress.Note("with tls-only off");
            progress.RunStarted(cases.Count, "embedded reference peer", 1234);
            for (int i = 0; i < cases.Count; i++)
            {
                progress.CaseStarted(cases[i].Case, i, cases.Count);
                progress.CaseFinished(cases[i].Case, cases[i].Result, i, cases.Count);
            }
            await Task.Yield();
            return 7; // the display draws its final state when the run ends: no wait needed
        });
        Assert.Equal(7, result);
        var output = text.ToString();
        Assert.Contains("case 9 of 9 TR-4a-01", output);
        Assert.Contains("pass 2, pass-lenient 1, fail 2, crash 1, inconclusive 1, not-applicable 1, error 1", output);
        Assert.Contains("100%", output);
        Assert.Contains("note: with tls-only off", output);
    }

    [Fact]
    public void The_summary_has_a_row_per_threat_and_lists_what_counts_against_the_run()
    {
        var (console, text) = Capture();
        CertifyConsole.WriteSummary(SyntheticReport.Every(), console);
        var output = text.ToString();
        var row = output.Split('\n').Single(l => l.StartsWith("| TR-2b "));
        Assert.Matches(@"\| TR-2b +\| +1 \| +- \| +- \| +1 \| +- \| +- \| +- \| +- \| fail +\|", row);
        Assert.Contains(output.Split('\n'), l => l.StartsWith("| UN-1a ") && l.Contains("no case"));
        Assert.Contains(output.Split('\n'), l => l.StartsWith("| all ") && l.Contains("exit 1"));
        Assert.Contains("rerun: p2psip certify --case TR-2b-03 --seed 1234", output);
        Assert.Contains("update or remove the entry", output);
        Assert.DoesNotContain("TR-5-01 fail", output); // an expected deviation does not count against the run
        Assert.DoesNotContain("PC-1-01 pass", output);
    }

    [Fact]
    public void In_a_log_the_summary_table_does_not_wrap_at_80_columns()
    {
        var (console, text) = Capture(width: 80);
        CertifyConsole.WriteSummary(SyntheticReport.Every(), console);
        var lines = text.ToString().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("| TR-1a ") && l.Contains("pass-lenient |"));
        Assert.Contains(lines, l => l.StartsWith("| Threat ") && l.Contains("not-applicable"));
        Assert.DoesNotContain(lines, l => l.StartsWith("|       ")); // no continuation rows
    }

    [Fact]
    public void The_self_test_table_shows_failed_cases_per_defence_and_the_problems()
    {
        var (console, text) = Capture();
        var result = SelfTestSamples.Result(
            new SelfTestVariant(null, SelfTestSamples.Run()),
            new SelfTestVariant("tls-only", SelfTestSamples.Run((SelfTestSamples.Tls, Verdict.Fail), (SelfTestSamples.Acl2, Verdict.Fail))),
            new SelfTestVariant("access-control", SelfTestSamples.Run((SelfTestSamples.Acl, Verdict.Fail))));
        CertifyConsole.WriteSelfTest(result, SelfTestEvaluation.Evaluate(result), console);
        var output = text.ToString();
        Assert.Contains("TR-1a: TR-1a-01", output);
        Assert.Contains("TR-2c: TR-2c-01", output);
        Assert.Contains("does not declare", output);
        Assert.Contains("self-test failed: 1 problem cells", output);
    }
}
