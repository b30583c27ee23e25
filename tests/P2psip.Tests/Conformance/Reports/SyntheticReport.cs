using P2psip.Conformance;

namespace P2psip.Tests.Conformance.Reports;

/// <summary>
/// A fixed report for the writers' tests: one case per verdict, an expected deviation matched and
/// one missed, evidence with bytes and summaries that need escaping, and fixed times, so the
/// snapshots do not move.
/// </summary>
internal static class SyntheticReport
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Text no report may pass through raw: markup, quotes, a control character, a lone surrogate.</summary>
    public const string Hostile = "<script>alert('x')</script> & \"quoted\" \u0001bell\u0007 \ud800 ]]>";

    public static ConformanceCase Case(string id, string threat, string[]? detects = null, string[]? more = null, string title = "a synthetic case", Requirement requirement = Requirement.Must) => new()
    {
        Id = id,
        Title = title,
        Threats = [threat, .. more ?? []],
        Rfc = ["6.3.2", "13.3"],
        Requirement = requirement,
        Detects = detects ?? [],
        Setup = "the SUT alone; the probe identity on one link",
        Stimulus = "one request",
        Oracle = "the answer is what the RFC names",
        Run = _ => Task.FromResult(Outcome.Pass("not run in these tests")),
    };

    public static CaseReport Result(ConformanceCase @case, Verdict verdict, string reason, int index, Expectation? expected = null, IReadOnlyList<EvidenceMessage>? messages = null, IReadOnlyList<string>? notes = null, string? capture = null) =>
        new(@case, new CaseResult
        {
            CaseId = @case.Id,
            Verdict = verdict,
            Reason = reason,
            Duration = TimeSpan.FromMilliseconds(100 + 25 * index),
            Messages = messages ?? [],
            Notes = notes ?? [],
            Capture = capture,
            Expected = expected,
        }, $"p2psip certify --case {@case.Id} --seed 1234");

    public static CertificationReport Every(IReadOnlyList<CaseReport>? cases = null) => new()
    {
        Tool = new ToolInfo("p2psip", "0.1.0", "0123456789abcdef0123456789abcdef01234567"),
        Sut = new SutInfo("embedded", "embedded reference peer", "127.0.0.1:40123", "tls", "00112233445566778899aabbccddeeff", []),
        Seed = 1234,
        Start = Start,
        End = Start.AddSeconds(3.5),
        Cases = cases ?? EveryVerdict(),
        Notes = ["canary stored at Resource-ID 0a0b", "expectations entry TR-9-01 matches no case"],
    };

    public static IReadOnlyList<CaseReport> EveryVerdict()
    {
        var messages = new EvidenceMessage[]
        {
            new(Start.AddMilliseconds(10), EvidenceDirection.Sent, "probe", [0xd2, 0x45, 0x4c, 0x4f, 0x00, 0x01, 0xff], "store_req tid=0000000000000001 ttl=100 (7 bytes)"),
            new(Start.AddMilliseconds(12.5), EvidenceDirection.Received, "probe", [0x00, 0x3c, 0x26, 0x3e], "undecodable (4 bytes): " + Hostile),
        };
        return
        [
            Result(Case("PC-1-01", "PC-1", title: "A wrong token is dropped"), Verdict.Pass, "dropped, as §6.3.2 asks", 0, messages: messages[..1]),
            Result(Case("TR-1a-01", "TR-1a", ["tls-only"], title: "Plaintext connect refused"), Verdict.PassLenient, "link closed instead of Error_Forbidden", 1),
            Result(Case("TR-2b-03", "TR-2b", ["access-control"], ["UN-3"], title: "Store by a non-owner " + Hostile), Verdict.Fail, "got store_ans, expected Error_Forbidden: " + Hostile, 2, messages: messages, notes: ["fetch afterwards returned the forged value"], capture: "captures/TR-2b-03.pcap"),
            Result(Case("UN-5-01", "UN-5", ["rate-limits"], title: "Join flood"), Verdict.Crash, "no answer to the liveness Ping after the flood", 3, notes: ["SUT restarted"]),
            Result(Case("UN-4-02", "UN-4", ["attach-before-update"], title: "Fabricated Update"), Verdict.Inconclusive, "precondition PC-10-01 did not pass", 4),
            Result(Case("TR-1a-02", "TR-1a", title: "DTLS records only", requirement: Requirement.Should), Verdict.NotApplicable, "the SUT is TLS-only", 5),
            Result(Case("PC-9-01", "PC-9", ["config-sequence"], title: "Old configuration sequence"), Verdict.Error, "harness: ProbeLink threw ObjectDisposedException", 6),
            Result(Case("TR-5-01", "TR-5", ["quotas"], title: "Store beyond max-count"), Verdict.Fail, "a known deviation", 7, expected: new Expectation(Verdict.Fail, "vendor ticket 42")),
            Result(Case("TR-4a-01", "TR-4a", ["kind-check"], title: "Unknown Kind"), Verdict.Pass, "Error_Unknown_Kind", 8, expected: new Expectation(Verdict.Fail, "fixed upstream?")),
        ];
    }
}
