using P2psip.Conformance;

namespace P2psip.Cli.Certify;

/// <summary>Counts per verdict so far, as the progress displays show them ("pass 12, fail 1").</summary>
internal sealed class VerdictTally
{
    private readonly int[] _counts = new int[VerdictNames.All.Count];

    public void Add(Verdict verdict) => _counts[(int)verdict]++;

    public void Clear() => Array.Clear(_counts);

    /// <summary>The verdicts seen, in VerdictNames order, with their counts; "none yet" before the first.</summary>
    public override string ToString()
    {
        var seen = VerdictNames.All.Where(v => _counts[(int)v] > 0).Select(v => $"{v.Word()} {_counts[(int)v]}").ToList();
        return seen.Count == 0 ? "none yet" : string.Join(", ", seen);
    }
}
