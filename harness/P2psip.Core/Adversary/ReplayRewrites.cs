namespace P2psip.Adversary;

/// <summary>What the replay changes in each captured request before sending it to the target.</summary>
[Flags]
public enum ReplayRewrites
{
    None = 0,
    /// <summary>A new transaction id per request (§6.3.2): a target that remembers ids would otherwise see replays.</summary>
    TransactionId = 1,
    /// <summary>The target's overlay hash and configuration sequence (§6.3.2).</summary>
    Overlay = 2,
    /// <summary>Node destinations that named a captured responder name the target's Node-ID instead (§6.3.2.2).</summary>
    Destination = 4,
    /// <summary>Re-signed (message and the StoredData the sender signed, §6.3.4, §7.1) by a lab identity with the captured signer's Node-ID and user name.</summary>
    Signature = 8,
    All = TransactionId | Overlay | Destination | Signature,
}

public static class ReplayRewriteNames
{
    private static readonly (string Word, ReplayRewrites Flag)[] Words =
    [
        ("transaction-id", ReplayRewrites.TransactionId),
        ("overlay", ReplayRewrites.Overlay),
        ("destination", ReplayRewrites.Destination),
        ("signature", ReplayRewrites.Signature),
    ];

    public static IEnumerable<string> All => Words.Select(w => w.Word);

    /// <summary>Parses a comma-separated list ("transaction-id,overlay"); "none" for nothing, "all" for everything.</summary>
    /// <exception cref="FormatException">A word that is none of them, naming it.</exception>
    public static ReplayRewrites Parse(string text)
    {
        var result = ReplayRewrites.None;
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.Equals("none", StringComparison.OrdinalIgnoreCase)) continue;
            if (raw.Equals("all", StringComparison.OrdinalIgnoreCase)) { result |= ReplayRewrites.All; continue; }
            var match = Words.FirstOrDefault(w => w.Word.Equals(raw, StringComparison.OrdinalIgnoreCase));
            if (match.Word is null) throw new FormatException($"'{raw}' is not one of {string.Join(", ", All)}, none, all");
            result |= match.Flag;
        }
        return result;
    }

    public static string Format(ReplayRewrites rewrites) =>
        rewrites == ReplayRewrites.None ? "none" : string.Join(",", Words.Where(w => rewrites.HasFlag(w.Flag)).Select(w => w.Word));
}
