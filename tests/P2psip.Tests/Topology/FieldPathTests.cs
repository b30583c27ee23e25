using P2psip.Corpus;
using P2psip.Messages;
using P2psip.Tests.Wire;
using P2psip.Wire;

namespace P2psip.Tests.Topology;

/// <summary>
/// The adversary edits fields by the encoder's paths and the decoder reports errors by path: both
/// must name a field the same way. Each row writes one seed with a bad value in one field; the
/// decoder must blame exactly that path, at the offset the field map gives it.
/// </summary>
public class FieldPathTests
{
    [Theory]
    [InlineData("attach_req", "attach_req.send_update", 2)]
    [InlineData("attach_req", "attach_req.candidates[0].type", 0)]
    [InlineData("attach_req", "attach_req.candidates[2].type", 3)]
    [InlineData("attach_req", "attach_req.candidates[1].overlay_link", 0)]
    [InlineData("attach_req", "attach_req.candidates[1].rel_addr_port.type", 0)]
    [InlineData("attach_ans", "attach_ans.candidates[0].addr_port.type", 0)]
    [InlineData("app_attach_req", "app_attach_req.application", 0)]
    [InlineData("app_attach_ans", "app_attach_ans.candidates[0].type", 0)]
    [InlineData("probe_req", "probe_req.requested_info[1]", 0)]
    [InlineData("probe_ans", "probe_ans.probe_info[2].type", 0)]
    [InlineData("probe_ans", "probe_ans.probe_info[0].length", 3)]
    [InlineData("update_req", "update_req.type", 0)]
    [InlineData("update_req", "update_req.type", 4)]
    [InlineData("leave_req", "leave_req.overlay_specific_data.type", 0)]
    [InlineData("leave_req", "leave_req.overlay_specific_data.type", 9)]
    [InlineData("route_query_req", "route_query_req.send_update", 2)]
    [InlineData("route_query_req", "route_query_req.destination.type", 0)]
    [InlineData("config_update_req", "config_update_req.type", 0)]
    public void Decoder_blames_the_field_the_encoder_named(string seed, string field, ulong value)
    {
        var message = MessageRoundTripTests.Sample(TopologySeeds.All().Single(s => s.Name == seed).Body);
        var path = "message_contents.message_body." + field;
        var edits = new WireEdits().Set(path, value);
        var node = ReloadCodec.FieldMap(message, edits).Find(path);
        Assert.NotNull(node);

        var decoded = ReloadCodec.Decode(ReloadCodec.Encode(message, edits));

        Assert.False(decoded.IsSuccess);
        Assert.Equal(path, decoded.Error.FieldPath);
        Assert.Equal(node.Offset, decoded.Error.Offset);
    }

    [Fact]
    public void Chord_list_length_that_is_not_whole_node_ids_is_blamed_on_the_list()
    {
        var message = MessageRoundTripTests.Sample(TopologySeeds.All().Single(s => s.Name == "update_req").Body);
        var list = "message_contents.message_body.update_req.successors";
        var edits = new WireEdits().Set(list + ".length", 47);   // three 16-byte Node-IDs less one byte
        var node = ReloadCodec.FieldMap(message, edits).Find(list + "[0]");
        Assert.NotNull(node);

        var decoded = ReloadCodec.Decode(ReloadCodec.Encode(message, edits));

        Assert.False(decoded.IsSuccess);
        Assert.Equal(list, decoded.Error.FieldPath);
        Assert.Equal(node.Offset, decoded.Error.Offset);
    }
}
