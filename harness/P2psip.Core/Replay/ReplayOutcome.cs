namespace P2psip.Replay;

/// <summary>How the target's answer to one replayed request compares with the captured answer.</summary>
public enum ReplayVerdict
{
    /// <summary>The answers agree structurally (or neither side answered).</summary>
    Same,
    /// <summary>They differ in the fields named, or only one side answered.</summary>
    Different,
    /// <summary>The capture has an answer; the target gave none in time (or closed the link).</summary>
    NoAnswer,
}

/// <summary>One replayed request: what was captured, what the target said, and the fields that differ.</summary>
public sealed record ReplayOutcome(CapturedExchange Exchange, ReplayVerdict Verdict, string Captured, string Replayed, IReadOnlyList<string> DifferingFields)
{
    public override string ToString()
    {
        var head = $"#{Exchange.Index} frame {Exchange.FrameNumber} {Exchange.Name} from {Exchange.Sender}: ";
        return Verdict switch
        {
            ReplayVerdict.Same => head + $"same ({Replayed})",
            ReplayVerdict.NoAnswer => head + $"no answer (captured {Captured}; {Replayed})",
            _ => head + $"different: captured {Captured}, replayed {Replayed}" + FieldList(DifferingFields),
        };
    }

    /// <summary>"; fields a, b, ... and N more" (the first eight), or nothing when there are none.</summary>
    internal static string FieldList(IReadOnlyList<string> fields) =>
        fields.Count > 0 ? "; fields " + string.Join(", ", fields.Take(8)) + (fields.Count > 8 ? $" and {fields.Count - 8} more" : "") : "";
}

/// <summary>All outcomes of a replay, and the one-line summary.</summary>
public sealed record ReplayReport(IReadOnlyList<ReplayOutcome> Outcomes)
{
    public int Same => Outcomes.Count(o => o.Verdict == ReplayVerdict.Same);
    public int Different => Outcomes.Count(o => o.Verdict == ReplayVerdict.Different);
    public int NoAnswer => Outcomes.Count(o => o.Verdict == ReplayVerdict.NoAnswer);
    public bool AllSame => Same == Outcomes.Count;

    public string Summary => $"replayed {Outcomes.Count} requests: {Same} same, {Different} different, {NoAnswer} no answer";
}
