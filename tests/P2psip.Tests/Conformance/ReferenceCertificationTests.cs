using System.Text.Json;
using P2psip.Conformance;
using P2psip.Conformance.Reports;
using P2psip.Conformance.Sut;
using P2psip.Peer;
using P2psip.Tests.Cli;
using P2psip.Tests.Conformance.Reports;

namespace P2psip.Tests.Conformance;

/// <summary>
/// The reference itself is certified (issue 13, "Done when"): with every defence on it passes every
/// case, in this process and as a separate <c>p2psip peer</c> process, with the same verdict per case.
/// </summary>
[Trait("Category", "Live")]
[Trait("Category", "Long")]
public class ReferenceCertificationTests
{
    [Fact]
    public async Task The_embedded_reference_with_every_defence_on_passes_the_suite_and_its_report_validates()
    {
        const int seed = 1301;
        var lab = CertificationLab.Create(seed);
        await using var sut = new EmbeddedSut(lab, DefenceSwitches.AllOn);
        var report = await CertifyRuns.RunAsync(lab, sut, seed);

        Assert.True(report.Cases.All(c => c.Result.Verdict.IsSuccess()), "cases that did not pass:\n" + report.Describe(r => !r.Verdict.IsSuccess()));
        Assert.Equal(P2psip.Conformance.Catalogue.SuiteCatalogue.All.Count, report.Cases.Count);
        Assert.Equal(0, report.ExitCode);

        var directory = Path.Combine(Path.GetTempPath(), "p2psip-tests", "certify-reference-" + Guid.NewGuid().ToString("N"));
        ReportSet.Write(directory, report);
        var json = File.ReadAllText(Path.Combine(directory, ReportSet.Json));
        Assert.Empty(SchemaValidation.Errors(SchemaValidation.Load("report.schema.json"), json));
        using var document = JsonDocument.Parse(json);
        Assert.Equal(0, document.RootElement.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task The_reference_as_a_separate_process_is_certified_as_it_is_in_process()
    {
        const int seed = 1302;
        var directory = Path.Combine(Path.GetTempPath(), "p2psip-tests", "certify-lab-" + Guid.NewGuid().ToString("N"));
        var lab = LabDirectory.Init(directory, seed);

        CertificationReport embedded;
        await using (var sut = new EmbeddedSut(lab, DefenceSwitches.AllOn))
            embedded = await CertifyRuns.RunAsync(lab, sut, seed);

        var command = $"'{CliRunner.Dotnet}' '{CliRunner.Program}' peer --overlay {{lab}} --identity {{identity}} --listen {{listen}} --first";
        CertificationReport process;
        var processSut = new ProcessSut(command, directory, Path.Combine(directory, LabDirectory.SutIdentityFolder), lab.SutIdentity.NodeId, SutTransport.Tls);
        await using (processSut)
            process = await CertifyRuns.RunAsync(CertificationLab.Load(directory, seed), processSut, seed);

        Assert.Equal("process", process.Sut.Kind);
        Assert.Equal(1, processSut.Starts);
        var inProcess = embedded.ById();
        var outOfProcess = process.ById();
        Assert.Equal(inProcess.Keys.Order(), outOfProcess.Keys.Order());
        // Cases that make the SUT originate a request need the embedded reference's driver (ISutDriver):
        // a process offers none, so they are not applicable to it, by design. Every other verdict must match.
        var needsDriver = P2psip.Conformance.Catalogue.SuiteCatalogue.All.Where(c => c.NeedsDriver).Select(c => c.Id).ToHashSet();
        Assert.All(needsDriver.Where(outOfProcess.ContainsKey), id => Assert.Equal(Verdict.NotApplicable, outOfProcess[id].Verdict));
        var differ = inProcess.Where(kv => !needsDriver.Contains(kv.Key) && kv.Value.Verdict != outOfProcess[kv.Key].Verdict)
            .Select(kv => $"{kv.Key}: in-process {kv.Value.Verdict.Word()} ({kv.Value.Reason}), process {outOfProcess[kv.Key].Verdict.Word()} ({outOfProcess[kv.Key].Reason})")
            .ToList();
        Assert.True(differ.Count == 0, "verdicts differ:\n" + string.Join("\n", differ));
        Assert.True(process.Cases.All(c => c.Result.Verdict.IsSuccess()), process.Describe(r => !r.Verdict.IsSuccess()));
        Assert.Equal(0, process.ExitCode);
    }
}
