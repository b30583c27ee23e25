using P2psip.Adversary;
using P2psip.Messages;
using P2psip.Wire;
using static P2psip.Tests.Adversary.AdversaryTestKit;

namespace P2psip.Tests.Adversary;

/// <summary>
/// The engine builds only the part of the field map a field test's path needs: that part must hold
/// the very fields of the whole map (same offsets, lengths, values, meanings), for every corpus message.
/// </summary>
public class MessageViewTests
{
    public static TheoryData<string> Names() => [.. MessageNames()];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_header_and_contents_parts_hold_the_same_fields_as_the_whole_map(string name)
    {
        var bytes = CorpusMessage(name);
        var whole = ReloadCodec.FieldMap(Decode(bytes));
        int compared = 0;
        foreach (var expected in whole.Descendants().Where(n => !n.Path.StartsWith("security_block", StringComparison.Ordinal)))
        {
            // A fresh view for each path: the part is built for it, not the whole map left by an earlier one.
            var part = new MessageView(Message(bytes)).FieldMapFor(expected.Path);
            Assert.NotNull(part);
            Assert.NotSame(whole, part);
            var actual = part.Find(expected.Path);
            Assert.True(actual is not null, $"{name}: {expected.Path} is not in the part");
            Assert.Equal((expected.Kind, expected.Offset, expected.Length, expected.Width, expected.Value, expected.Meaning, expected.Bytes),
                (actual.Kind, actual.Offset, actual.Length, actual.Width, actual.Value, actual.Meaning, actual.Bytes));
            compared++;
        }
        Assert.True(compared > 10);
    }

    [Fact]
    public void A_path_into_another_body_finds_nothing_without_building_a_map()
    {
        var view = new MessageView(Message(CorpusMessage("fetch_req")));
        var map = view.FieldMapFor("message_contents.message_body.store_req.kind_data[*].kind");
        Assert.NotNull(map);
        Assert.Empty(map.Children);
        Assert.NotEmpty(FieldValuesOf(view, "message_contents.message_body.fetch_req.resource"));
    }

    [Theory]
    [InlineData("{fields: [{path: forwarding_header.ttl, op: eq, value: 100}]}", "{fields: [{path: forwarding_header.ttl, op: eq, value: 99}]}")]
    [InlineData("{fields: [{path: forwarding_header.length, op: gt, value: 38}]}", "{fields: [{path: forwarding_header.length, op: lt, value: 38}]}")]
    [InlineData("{fields: [{path: \"message_contents.message_body.store_req.kind_data[*].kind\", op: eq, value: 1}]}",
        "{fields: [{path: \"message_contents.message_body.fetch_req.specifiers[*].kind\", op: exists}]}")]
    [InlineData("{fields: [{path: \"message_contents.message_body.fetch_req.specifiers\", op: absent}]}",
        "{fields: [{path: \"message_contents.message_body.store_req.kind_data\", op: absent}]}")]
    public void Field_tests_on_the_parts_decide_as_on_the_whole_map(string holds, string fails)
    {
        var store = CorpusMessage("store_req");
        Assert.NotNull(Engine(OneRule("[drop]", holds)).Decide(Message(store)).RuleIndex);
        Assert.Null(Engine(OneRule("[drop]", fails)).Decide(Message(store)).RuleIndex);
    }

    private static List<FieldNode> FieldValuesOf(MessageView view, string path) =>
        view.FieldMapFor(path) is { } map ? [.. map.Descendants().Where(n => n.Path == path)] : [];
}

/// <summary>The header fields decided without a map give the map's answer, for every corpus message, op and nearby value.</summary>
public class HeaderFieldTestsTests
{
    public static TheoryData<string> Names() => [.. MessageNames()];

    [Theory]
    [MemberData(nameof(Names))]
    public void Deciding_on_the_header_agrees_with_the_field_map(string name)
    {
        var bytes = CorpusMessage(name);
        var model = Decode(bytes);
        var map = ReloadCodec.FieldMap(model);
        int decided = 0;
        foreach (var field in new[] { "overlay", "configuration_sequence", "ttl", "fragment", "length", "transaction_id", "max_response_length", "version", "via_list_length" })
        {
            var path = "forwarding_header." + field;
            var actual = map.Find(path)!.Value;
            foreach (var op in Enum.GetValues<CompareOp>())
                foreach (var value in new[] { actual, actual - 1, actual + 1, 0UL })
                    foreach (var text in new[] { value.ToString(System.Globalization.CultureInfo.InvariantCulture), $"0x{value:x}", "RELO" })
                    {
                        var test = new FieldTest(path, op, text);
                        var onMap = MatcherEvaluator.HoldsOnMap(test, new MessageView(Message(bytes)));
                        if (!HeaderFieldTests.TryDecide(test, model, bytes.Length, out var holds)) continue;
                        Assert.True(onMap == holds, $"{name}: {path} {op} {text}: map says {onMap}, header says {holds}");
                        decided++;
                    }
        }
        Assert.True(decided > 100);
    }
}
