using P2psip.Adversary;
using P2psip.Links;
using P2psip.Messages;
using P2psip.Wire;
using static P2psip.Tests.Adversary.AdversaryTestKit;

namespace P2psip.Tests.Adversary;

/// <summary>
/// What each matcher condition accepts and refuses, on corpus messages; and the rule counters
/// (nth, every, after, limit, probability) over a stream of messages.
/// </summary>
public class MatcherTests
{
    /// <summary>Whether a one-rule scenario with this matcher drops the message.</summary>
    private static bool Matches(string match, string corpus, LinkDirection direction = LinkDirection.Outbound, string nodes = "") =>
        Engine(OneRule("[drop]", match).Replace("rules:", nodes + "rules:", StringComparison.Ordinal)).Decide(Message(CorpusMessage(corpus), direction)).Dropped;

    [Theory]
    [InlineData("{direction: outbound}", "ping_req", true)]
    [InlineData("{direction: inbound}", "ping_req", false)]
    [InlineData("{class: request}", "store_req", true)]
    [InlineData("{class: request}", "store_ans", false)]
    [InlineData("{class: response}", "store_ans", true)]
    [InlineData("{class: response}", "error", true)]
    [InlineData("{code: store_req}", "store_req", true)]
    [InlineData("{code: store_req}", "fetch_req", false)]
    [InlineData("{code: [fetch_req, store_req]}", "fetch_req", true)]
    [InlineData("{code: 9}", "fetch_req", true)]
    [InlineData("{kind: 1}", "store_req", true)]
    [InlineData("{kind: 16}", "fetch_req", true)]
    [InlineData("{kind: 2}", "find_req", true)]
    [InlineData("{kind: [2, 3]}", "store_req", false)]
    [InlineData("{kind: 1}", "ping_req", false)]
    [InlineData("{decodable: true}", "ping_req", true)]
    [InlineData("{decodable: false}", "ping_req", false)]
    [InlineData("{}", "attach_req", true)]
    public void Simple_conditions(string match, string corpus, bool expected) => Assert.Equal(expected, Matches(match, corpus));

    [Theory]
    [InlineData("{remote: \"0200000000000000000000000000000b\"}", true)]
    [InlineData("{remote: \"0100000000000000000000000000000a\"}", false)]
    [InlineData("{local: \"0100000000000000000000000000000a\"}", true)]
    [InlineData("{destination: \"96a4889fc9ac1f3d72ac268c787b15ca\"}", true)]
    [InlineData("{destination: target}", true)]
    [InlineData("{destination: \"96a4889fc9ac1f3d72ac268c787b15cb\"}", false)]
    // An empty Via list: the source is the link end that sent it (here: local, outbound).
    [InlineData("{source: \"0100000000000000000000000000000a\"}", true)]
    [InlineData("{source: \"0200000000000000000000000000000b\"}", false)]
    public void Link_ends_source_and_destination(string match, bool expected) =>
        Assert.Equal(expected, Matches(match, "store_req", nodes: "nodes:\n  target: \"96a4889fc9ac1f3d72ac268c787b15ca\"\n"));

    [Fact]
    public void Source_is_the_first_via_entry_when_there_is_one()
    {
        var message = Decode(CorpusMessage("ping_req"));
        var originator = Opaque.FromHex("0900000000000000000000000000000e");
        var via = message with { Header = message.Header with { ViaList = [new NodeDestination(originator), new NodeDestination(Remote)] } };
        var engine = Engine(OneRule("[drop]", "{source: \"0900000000000000000000000000000e\"}"));
        Assert.True(engine.Decide(Message(ReloadCodec.Encode(via), LinkDirection.Inbound)).Dropped);
        Assert.False(engine.Decide(Message(CorpusMessage("ping_req"), LinkDirection.Inbound)).Dropped);
    }

    [Theory]
    [InlineData("forwarding_header.ttl", "eq", "100", true)]
    [InlineData("forwarding_header.ttl", "ne", "100", false)]
    [InlineData("forwarding_header.ttl", "lt", "101", true)]
    [InlineData("forwarding_header.ttl", "le", "100", true)]
    [InlineData("forwarding_header.ttl", "gt", "0x63", true)]
    [InlineData("forwarding_header.ttl", "ge", "101", false)]
    [InlineData("message_contents.message_code", "eq", "store_req", true)]
    [InlineData("message_contents.message_code", "contains", "store", true)]
    [InlineData("forwarding_header.destination_list[0].type", "eq", "node", true)]
    [InlineData("forwarding_header.destination_list[*].destination_data.node_id", "eq", "96a4889fc9ac1f3d72ac268c787b15ca", true)]
    [InlineData("forwarding_header.destination_list[*].destination_data.node_id", "contains", "c9ac1f", true)]
    [InlineData("forwarding_header.destination_list[*].destination_data.node_id", "contains", "c9ac1e", false)]
    [InlineData("forwarding_header.destination_list[*].destination_data.node_id", "gt", "96a4889fc9ac1f3d72ac268c787b15c9", true)]
    [InlineData("forwarding_header.destination_list[*].destination_data.node_id", "lt", "96a4889fc9ac1f3d72ac268c787b15c9", false)]
    [InlineData("message_contents.message_body.store_req.kind_data[*].kind", "eq", "1", true)]
    [InlineData("message_contents.message_body.store_req.kind_data[0].values[0].lifetime", "eq", "86400", true)]
    public void Field_tests(string path, string op, string value, bool expected) =>
        Assert.Equal(expected, Matches($"{{fields: [{{path: \"{path}\", op: {op}, value: \"{value}\"}}]}}", "store_req"));

    [Theory]
    [InlineData("forwarding_header.via_list[0]", "exists", false)]
    [InlineData("forwarding_header.via_list[0]", "absent", true)]
    [InlineData("message_contents.message_body.store_req", "exists", true)]
    [InlineData("no.such.field", "absent", true)]
    public void Field_presence(string path, string op, bool expected) =>
        Assert.Equal(expected, Matches($"{{fields: [{{path: \"{path}\", op: {op}}}]}}", "store_req"));

    [Theory]
    [InlineData("{all: [{code: store_req}, {direction: outbound}]}", true)]
    [InlineData("{all: [{code: store_req}, {direction: inbound}]}", false)]
    [InlineData("{any: [{code: fetch_req}, {direction: inbound}]}", false)]
    [InlineData("{any: [{code: fetch_req}, {kind: 1}]}", true)]
    [InlineData("{not: {code: store_req}}", false)]
    [InlineData("{not: {code: fetch_req}}", true)]
    [InlineData("{code: store_req, not: {any: [{kind: 2}, {direction: inbound}]}}", true)]
    public void Combinators(string match, bool expected) => Assert.Equal(expected, Matches(match, "store_req"));

    [Fact]
    public void The_fluent_operators_build_the_same_matchers()
    {
        var m = (Matcher.Code(MessageCodes.StoreReq) & Matcher.Outbound) | !Matcher.Kind(1);
        Assert.Equal(new Matcher { Any = [new Matcher { All = [Matcher.Code(MessageCodes.StoreReq), Matcher.Outbound] }, new Matcher { Not = Matcher.Kind(1) }] }, m);
        var engine = Engine(new ScenarioBuilder("fluent").Rule(RuleBuilder.When(m).Drop()).Build());
        Assert.True(engine.Decide(Message(CorpusMessage("store_req"))).Dropped);
        Assert.False(engine.Decide(Message(CorpusMessage("store_req"), LinkDirection.Inbound)).Dropped);
        Assert.True(engine.Decide(Message(CorpusMessage("ping_req"), LinkDirection.Inbound)).Dropped);
    }

    /// <summary>Which of ten matching messages the rule fires on (1-based).</summary>
    private static int[] Fired(string extra, ulong seed = 1)
    {
        var engine = Engine(OneRule("[drop]", "{code: ping_req}", extra), seed);
        var fired = new List<int>();
        int k = 0;
        for (int position = 0; position < 20; position++)
        {
            var isPing = position % 2 == 0; // the other messages do not match and are not counted
            var decision = engine.Decide(Message(CorpusMessage(isPing ? "ping_req" : "store_req"), position: position));
            if (isPing && ++k > 0 && decision.Dropped) fired.Add(k);
            if (!isPing) Assert.False(decision.Dropped);
        }
        return fired.ToArray();
    }

    [Theory]
    [InlineData("", new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    [InlineData("nth: 3", new[] { 3 })]
    [InlineData("every: 4", new[] { 4, 8 })]
    [InlineData("after: 7", new[] { 8, 9, 10 })]
    [InlineData("limit: 2", new[] { 1, 2 })]
    [InlineData("limit: 0", new int[0])]
    public void Counters_count_the_messages_the_matcher_accepted(string extra, int[] expected) => Assert.Equal(expected, Fired(extra));

    [Fact]
    public void Counters_combine()
    {
        Assert.Equal([6, 8], Fired("after: 4\n    every: 2\n    limit: 2"));
    }

    [Fact]
    public void Probability_is_drawn_from_the_seed_and_the_position()
    {
        var half = Fired("probability: 0.5", seed: 3);
        Assert.Equal(half, Fired("probability: 0.5", seed: 3));
        Assert.InRange(half.Length, 1, 9);
        Assert.Empty(Fired("probability: 0"));
        Assert.Equal(10, Fired("probability: 1").Length);
        var seeds = Enumerable.Range(0, 8).Select(s => string.Join(",", Fired("probability: 0.5", (ulong)s))).Distinct().Count();
        Assert.True(seeds > 1, "other seeds draw otherwise");
    }

    [Fact]
    public void The_first_rule_that_fires_decides()
    {
        var engine = Engine("""
            name: order
            rules:
              - match: {code: ping_req}
                actions: [pass]
              - actions: [drop]
            """);
        var ping = engine.Decide(Message(CorpusMessage("ping_req")));
        Assert.Equal(0, ping.RuleIndex);
        Assert.False(ping.Dropped);
        var store = engine.Decide(Message(CorpusMessage("store_req")));
        Assert.Equal(1, store.RuleIndex);
        Assert.True(store.Dropped);
    }
}
