using P2psip.Messages;
using P2psip.Tests.Wire;
using P2psip.Wire;
using P2psip.Wire.Rendering;
using Snapshooter.Xunit;

namespace P2psip.Tests.Rendering;

public class MessageDumpTests
{
    [Fact]
    public void Error_response_dump_matches_the_snapshot() => Snapshot.Match(MessageDump.ToText(RenderingSamples.ErrorResponseMap()));

    [Fact]
    public void Framed_ack_dump_matches_the_snapshot() => Snapshot.Match(MessageDump.ToText(RenderingSamples.FramedAckMap()));

    [Fact]
    public void Integers_show_decimal_hex_and_the_RFC_name()
    {
        var lines = MessageDump.ToText(RenderingSamples.ErrorResponseMap()).Split('\n');
        var line = Assert.Single(lines, l => l.TrimStart().StartsWith("error_code:", StringComparison.Ordinal));
        Assert.Contains("error_code: 3 = 0x0003 (Error_Not_Found)", line);
        Assert.EndsWith("[offset 64, length 2]", line);
        Assert.StartsWith("      error_code", line); // depth 3: message_contents > message_body > error
    }

    [Fact]
    public void Every_field_has_one_line()
    {
        var map = RenderingSamples.ErrorResponseMap();
        var text = MessageDump.ToText(map);
        Assert.Equal(map.Descendants().Count(), text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Bytes_past_64_are_cut_and_counted()
    {
        var map = ReloadCodec.FieldMap(MessageRoundTripTests.Sample(new ErrorResponse(ErrorCodes.NotFound, new byte[100])));
        var line = MessageDump.ToText(map).Split('\n').Single(l => l.TrimStart().StartsWith("value:", StringComparison.Ordinal) && l.Contains("00000000"));
        Assert.Contains(new string('0', 128) + "... (100 bytes)", line);
        Assert.DoesNotContain(new string('0', 129), line);
    }

    [Fact]
    public void Lists_count_their_elements_not_their_length_prefix()
    {
        var text = MessageDump.ToText(RenderingSamples.ErrorResponseMap());
        Assert.Contains("extensions: 0 elements", text);
        Assert.Contains("destination_list: 1 element ", text);
        Assert.Contains("value: (empty)", text);
    }

    [Fact]
    public void A_length_replaced_by_an_edit_with_more_bytes_shows_the_bytes()
    {
        var message = MessageRoundTripTests.Sample(ErrorResponse.Of(ErrorCodes.NotFound, "x"));
        var map = ReloadCodec.FieldMap(message, new WireEdits().Replace("message_contents.message_body.error.error_info.length", [0xff, 0xff, 0xff]));
        var line = MessageDump.ToText(map).Split('\n').Single(l => l.Contains("[offset 66,", StringComparison.Ordinal) && l.TrimStart().StartsWith("length", StringComparison.Ordinal));
        Assert.Contains("length: ffffff", line);
    }
}
