using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Topology;
using P2psip.Wire;

namespace P2psip.Tests.Topology;

/// <summary>UpdateReq carrying CHORD-RELOAD's ChordUpdate (§6.4.2.3, §10.7), and UpdateAns.</summary>
public class UpdateTests
{
    internal const string N1 = "00112233445566778899aabbccddeeff";
    internal const string N2 = "ffeeddccbbaa99887766554433221100";
    private static readonly Opaque Id1 = Opaque.FromHex(N1), Id2 = Opaque.FromHex(N2);

    private static readonly Dictionary<string, MessageBody> Expected = new()
    {
        ["peer_ready"] = new UpdateReq(new PeerReadyUpdate(3600)),
        ["neighbors"] = new UpdateReq(new NeighborsUpdate(3600, [Id1], [Id1, Id2])),
        ["neighbors, empty lists"] = new UpdateReq(new NeighborsUpdate(0, [], [])),
        ["full"] = new UpdateReq(new FullUpdate(1, [Id2], [Id1], [Id1, Id2])),
        ["full, empty lists"] = new UpdateReq(new FullUpdate(0xFFFFFFFF, [], [], [])),
    };

    [Theory]
    [InlineData("peer_ready", "00000e10 01")]
    [InlineData("neighbors", "00000e10 02 0010" + N1 + "0020" + N1 + N2)]
    [InlineData("neighbors, empty lists", "00000000 02 0000 0000")]
    [InlineData("full", "00000001 03 0010" + N2 + "0010" + N1 + "0020" + N1 + N2)]
    [InlineData("full, empty lists", "ffffffff 03 0000 0000 0000")]
    public void Valid_update_req(string label, string hex) =>
        BodyVectors.AssertValid(MessageCodes.UpdateReq, hex, Expected[label]);

    [Theory]
    [InlineData("truncated uptime", "0000", "uptime", 0)]
    [InlineData("missing type", "00000e10", "type", 4)]
    [InlineData("invalidChordUpdateType(0)", "00000e10 00", "type", 4)]
    [InlineData("unknown type 4 (select cannot be extended)", "00000e10 04", "type", 4)]
    [InlineData("predecessors length runs past the body", "00000e10 02 0011" + N1, "predecessors", 5)]
    [InlineData("predecessors not a whole number of Node-IDs", "00000e10 02 000f 00112233445566778899aabbccddee 0000", "predecessors", 7)]
    [InlineData("successors missing", "00000e10 02 0000", "successors", 7)]
    [InlineData("fingers missing in full", "00000e10 03 0000 0000", "fingers", 9)]
    [InlineData("fingers holding a 17-byte Node-ID", "00000e10 03 0000 0000 0011" + N1 + "ff", "fingers", 11)]
    [InlineData("peer_ready followed by lists", "00000e10 01 0000 0000", "message_body", 5)]
    [InlineData("neighbors followed by fingers", "00000e10 02 0000 0000 0000", "message_body", 9)]
    public void Invalid_update_req(string label, string hex, string fieldPath, int offset)
    {
        _ = label;
        BodyVectors.AssertInvalid(MessageCodes.UpdateReq, hex, fieldPath, offset);
    }

    [Fact]
    public void Node_id_length_comes_from_the_overlay()
    {
        // 16-byte Node-IDs are not a whole number of 20-byte ones (§6.3.1.1: the overlay fixes the length).
        BodyVectors.AssertInvalid(MessageCodes.UpdateReq, "00000e10 02 0010" + N1 + "0000", "predecessors", 7, nodeIdLength: 20);
        var id20 = N1 + "01020304";
        BodyVectors.AssertValid(MessageCodes.UpdateReq, "00000e10 02 0014" + id20 + "0000",
            new UpdateReq(new NeighborsUpdate(3600, [Opaque.FromHex(id20)], [])), nodeIdLength: 20);
    }

    [Theory]
    [InlineData("empty, as in CHORD-RELOAD", "")]
    [InlineData("bytes another topology put there", "abcd")]
    public void Valid_update_ans(string label, string hex)
    {
        _ = label;
        BodyVectors.AssertValid(MessageCodes.UpdateAns, hex, new UpdateAns(Opaque.FromHex(hex)));
    }
}
