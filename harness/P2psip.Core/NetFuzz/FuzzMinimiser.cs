namespace P2psip.NetFuzz;

/// <summary>
/// Shrinks a failing case (issue 12): first the shortest tail of the cases before it that still makes
/// it fail (<see cref="ShortestTailAsync"/>, for a failure that needs state from earlier cases), then delta debugging (Zeller's ddmin) over its messages, across
/// all parties, then over the field mutations of the messages left, one at a time. A trial "fails"
/// when the SUT loses liveness; the caller restarts it after each failing trial.
/// </summary>
public static class FuzzMinimiser
{
    public static async Task<FuzzSession> MinimiseAsync(FuzzSession session, Func<FuzzSession, Task<bool>> fails, int maxTrials = 64)
    {
        int trials = 0;
        async Task<bool> Try(IReadOnlyList<PlannedMessage> messages)
        {
            if (trials++ >= maxTrials) return false;
            return await fails(session with { Messages = messages }).ConfigureAwait(false);
        }

        var messages = session.Messages.ToList();
        int n = 2;
        while (messages.Count >= 2)
        {
            var chunks = Split(messages, n);
            bool reduced = false;
            foreach (var chunk in chunks)
            {
                if (await Try(chunk).ConfigureAwait(false)) { messages = chunk; n = 2; reduced = true; break; }
            }
            if (!reduced && n > 2)
            {
                for (int i = 0; i < chunks.Count && !reduced; i++)
                {
                    var complement = chunks.Where((_, j) => j != i).SelectMany(c => c).ToList();
                    if (await Try(complement).ConfigureAwait(false)) { messages = complement; n = Math.Max(n - 1, 2); reduced = true; }
                }
            }
            if (!reduced)
            {
                if (n >= messages.Count) break;
                n = Math.Min(n * 2, messages.Count);
            }
        }
        // Then the fields: drop each mutation in turn while the session still fails without it.
        for (int m = 0; m < messages.Count; m++)
        {
            for (int e = messages[m].Edits.Count - 1; e >= 0 && messages[m].Edits.Count > 0; e--)
            {
                var fewer = messages[m] with { Edits = messages[m].Edits.Where((_, k) => k != e).ToList() };
                var candidate = messages.Select((x, k) => k == m ? fewer : x).ToList();
                if (await Try(candidate).ConfigureAwait(false)) messages = candidate;
            }
        }
        return session with { Messages = messages, Mutations = messages.SelectMany(x => x.Edits.Select(ed => ed.Note)).ToList() };
    }

    /// <summary>
    /// The shortest n in 1..<paramref name="available"/> for which running the last n preceding cases
    /// and then the failing one fails (<paramref name="failsWithTail"/>), or null if none does:
    /// doubling n until a trial fails, then halving the gap to the last n that passed. Assumes more
    /// history fails no less (true of state that accumulates); at most about 2 log2(available) trials.
    /// </summary>
    public static async Task<int?> ShortestTailAsync(int available, Func<int, Task<bool>> failsWithTail)
    {
        if (available <= 0) return null;
        int passed = 0, failed = -1;
        for (int n = 1; ; n = Math.Min(n * 2, available))
        {
            if (await failsWithTail(n).ConfigureAwait(false)) { failed = n; break; }
            passed = n;
            if (n == available) return null;
        }
        while (failed - passed > 1)
        {
            int mid = passed + (failed - passed) / 2;
            if (await failsWithTail(mid).ConfigureAwait(false)) failed = mid;
            else passed = mid;
        }
        return failed;
    }

    private static List<List<PlannedMessage>> Split(List<PlannedMessage> items, int n)
    {
        var chunks = new List<List<PlannedMessage>>();
        int size = (int)Math.Ceiling(items.Count / (double)n);
        for (int i = 0; i < items.Count; i += size) chunks.Add(items.GetRange(i, Math.Min(size, items.Count - i)));
        return chunks;
    }
}
