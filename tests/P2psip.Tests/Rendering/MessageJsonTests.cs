using System.Text.Json;
using P2psip.Wire.Rendering;
using Snapshooter.Xunit;

namespace P2psip.Tests.Rendering;

public class MessageJsonTests
{
    [Fact]
    public void Error_response_json_matches_the_snapshot() => Snapshot.Match(MessageJson.ToJson(RenderingSamples.ErrorResponseMap(), indented: true));

    [Fact]
    public void Framed_ack_json_matches_the_snapshot() => Snapshot.Match(MessageJson.ToJson(RenderingSamples.FramedAckMap(), indented: true));

    [Fact]
    public void Structures_are_objects_lists_arrays_codes_named_and_bytes_hex()
    {
        using var json = JsonDocument.Parse(MessageJson.ToJson(RenderingSamples.ErrorResponseMap()));
        var root = json.RootElement;
        var header = root.GetProperty("forwarding_header");
        Assert.Equal(0x12345678u, header.GetProperty("overlay").GetUInt32());
        Assert.Equal(JsonValueKind.Array, header.GetProperty("destination_list").ValueKind);
        var destination = header.GetProperty("destination_list")[0];
        Assert.Equal(1, destination.GetProperty("type").GetProperty("value").GetInt32());
        Assert.Equal("node", destination.GetProperty("type").GetProperty("name").GetString());
        Assert.Equal(new string('0', 32), destination.GetProperty("destination_data").GetProperty("node_id").GetString());

        var contents = root.GetProperty("message_contents");
        Assert.Equal("error", contents.GetProperty("message_code").GetProperty("name").GetString());
        var error = contents.GetProperty("message_body").GetProperty("error");
        Assert.Equal(3, error.GetProperty("error_code").GetProperty("value").GetInt32());
        Assert.Equal("Error_Not_Found", error.GetProperty("error_code").GetProperty("name").GetString());
        Assert.Equal("6e6f7468696e672068657265", error.GetProperty("error_info").GetProperty("value").GetString());
        Assert.Equal(JsonValueKind.Array, contents.GetProperty("extensions").ValueKind);
        Assert.Equal(0, contents.GetProperty("extensions").GetArrayLength());
    }

    [Fact]
    public void The_output_is_one_line_and_deterministic()
    {
        var first = MessageJson.ToJson(RenderingSamples.ErrorResponseMap());
        Assert.DoesNotContain('\n', first);
        Assert.Equal(first, MessageJson.ToJson(RenderingSamples.ErrorResponseMap()));
    }
}
