namespace P2psip.Conformance;

/// <summary>
/// What one case concluded about the system under test (THREATS.md; issue 13). Only
/// <see cref="Pass"/>, <see cref="PassLenient"/> and <see cref="NotApplicable"/> count as a
/// success; <see cref="Inconclusive"/> is never a pass, and <see cref="Error"/> is the harness's
/// own fault, never the SUT's.
/// </summary>
public enum Verdict
{
    /// <summary>The requirement held, to the letter.</summary>
    Pass,
    /// <summary>The RFC's intent held but not its letter (e.g. the link was closed instead of Error_Forbidden); the reason says how.</summary>
    PassLenient,
    /// <summary>The requirement did not hold, and it reproduced.</summary>
    Fail,
    /// <summary>The SUT stopped answering the liveness probe during the case.</summary>
    Crash,
    /// <summary>The stimulus could not be delivered, a precondition was not met, or a failure did not reproduce.</summary>
    Inconclusive,
    /// <summary>The case does not apply to this SUT (e.g. a TLS case on a plaintext-only SUT).</summary>
    NotApplicable,
    /// <summary>The harness itself broke; nothing is concluded about the SUT.</summary>
    Error,
}

public static class VerdictNames
{
    /// <summary>The words reports use (report.json, junit.xml, the console).</summary>
    public static string Word(this Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.PassLenient => "pass-lenient",
        Verdict.Fail => "fail",
        Verdict.Crash => "crash",
        Verdict.Inconclusive => "inconclusive",
        Verdict.NotApplicable => "not-applicable",
        Verdict.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    public static readonly IReadOnlyList<Verdict> All = Enum.GetValues<Verdict>();

    /// <summary>Parses a report word back; null when it names no verdict.</summary>
    public static Verdict? Parse(string word) => All.Cast<Verdict?>().FirstOrDefault(v => v!.Value.Word() == word);

    /// <summary>Whether the verdict lets the run exit 0.</summary>
    public static bool IsSuccess(this Verdict verdict) => verdict is Verdict.Pass or Verdict.PassLenient or Verdict.NotApplicable;
}
