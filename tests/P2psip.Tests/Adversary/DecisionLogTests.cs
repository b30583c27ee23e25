using System.Text.Json;
using P2psip.Adversary;
using P2psip.Links;
using static P2psip.Tests.Adversary.AdversaryTestKit;

namespace P2psip.Tests.Adversary;

/// <summary>The decision log: one JSON line per message with the rule, digest, actions and draws; same seed ⇒ the same log.</summary>
public class DecisionLogTests
{
    private const string Scenario = """
        name: noisy
        rules:
          - match: {code: ping_req}
            probability: 0.5
            actions: [drop]
          - match: {code: [store_req, fetch_req]}
            actions:
              - delay: {ms: 50, jitter: 40}
              - mutate: {path: forwarding_header.transaction_id, op: random}
          - match: {class: response}
            every: 2
            actions: [{duplicate: {count: 2}}]
        """;

    /// <summary>The whole corpus, three times over, in both directions, through one engine; the log as text.</summary>
    private static string[] Run(ulong seed, out string header)
    {
        var writer = new StringWriter();
        var engine = Engine(Scenario, seed, new DecisionLog(writer));
        long position = 0;
        for (int round = 0; round < 3; round++)
            foreach (var name in MessageNames())
                engine.Decide(Message(CorpusMessage(name), position % 3 == 0 ? LinkDirection.Inbound : LinkDirection.Outbound, position++));
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        header = lines[0];
        Assert.Equal(engine.Log.JsonLines(), lines[1..]);
        return lines[1..];
    }

    [Fact]
    public void The_same_seed_gives_the_same_log()
    {
        var a = Run(42, out var headerA);
        var b = Run(42, out var headerB);
        Assert.Equal(a, b);
        Assert.Equal(headerA, headerB);
        Assert.Equal("{\"scenario\":\"noisy\",\"seed\":42}", headerA);
        var c = Run(43, out _);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Each_line_names_the_rule_digest_actions_and_draws()
    {
        var lines = Run(7, out _).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3 * MessageNames().Count(), lines.Count);
        foreach (var line in lines)
        {
            Assert.Equal(16, line.GetProperty("digest").GetString()!.Length);
            Assert.True(line.TryGetProperty("t_ms", out _));
        }
        var store = lines.First(l => l.GetProperty("code").GetString() == "store_req");
        Assert.Equal(1, store.GetProperty("rule").GetInt32());
        Assert.Equal(["delay", "mutate"], store.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(["jitter", "mutate forwarding_header.transaction_id"], store.GetProperty("draws").EnumerateArray().Select(d => d.GetProperty("use").GetString()!));
        var pings = lines.Where(l => l.GetProperty("code").GetString() == "ping_req").ToList();
        Assert.All(pings, p => Assert.Equal("probability", Assert.Single(p.GetProperty("draws").EnumerateArray()).GetProperty("use").GetString()));
        var passed = lines.First(l => l.GetProperty("code").GetString() == "attach_req");
        Assert.Equal(JsonValueKind.Null, passed.GetProperty("rule").ValueKind);
        Assert.Empty(passed.GetProperty("draws").EnumerateArray());
    }

    [Fact]
    public void Draws_depend_on_seed_rule_and_position_only()
    {
        var a = new DecisionRandom(1, 2, 3);
        var b = new DecisionRandom(1, 2, 3);
        Assert.Equal(a.NextUInt64("x"), b.NextUInt64("y"));
        Assert.NotEqual(new DecisionRandom(1, 2, 3).NextUInt64("x"), new DecisionRandom(1, 2, 4).NextUInt64("x"));
        Assert.NotEqual(new DecisionRandom(1, 2, 3).NextUInt64("x"), new DecisionRandom(1, 3, 3).NextUInt64("x"));
        Assert.NotEqual(new DecisionRandom(1, 2, 3).NextUInt64("x"), new DecisionRandom(2, 2, 3).NextUInt64("x"));
        // Uniform enough for probabilities: the mean of many draws is near one half.
        var mean = Enumerable.Range(0, 4000).Select(p => new DecisionRandom(9, 0, p).NextDouble("p")).Average();
        Assert.InRange(mean, 0.47, 0.53);
    }
}
