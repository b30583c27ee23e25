using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Topology;
using P2psip.Wire;
using static P2psip.Tests.Topology.UpdateTests;

namespace P2psip.Tests.Topology;

/// <summary>Join (§6.4.2.1) and Leave (§6.4.2.2) with CHORD-RELOAD's ChordLeaveData (§10.9).</summary>
public class JoinLeaveTests
{
    private static readonly Opaque Id1 = Opaque.FromHex(N1), Id2 = Opaque.FromHex(N2);

    private static readonly Dictionary<string, MessageBody> Expected = new()
    {
        ["join_req minimal"] = new JoinReq(Id1, Opaque.Empty),
        ["join_req with data"] = new JoinReq(Id1, Opaque.FromHex("010203")),
        ["join_ans empty"] = new JoinAns(Opaque.Empty),
        ["join_ans with data"] = new JoinAns(Opaque.FromHex("abcd")),
        ["leave_req from_pred"] = new LeaveReq(Id1, ChordLeaveData.FromPred([Id2])),
        ["leave_req from_succ, no successors"] = new LeaveReq(Id1, ChordLeaveData.FromSucc([])),
        ["leave_req from_succ, two"] = new LeaveReq(Id2, ChordLeaveData.FromSucc([Id1, Id2])),
        ["leave_ans"] = new LeaveAns(),
    };

    [Theory]
    [InlineData("join_req minimal", MessageCodes.JoinReq, N1 + "0000")]
    [InlineData("join_req with data", MessageCodes.JoinReq, N1 + "0003 010203")]
    [InlineData("join_ans empty", MessageCodes.JoinAns, "0000")]
    [InlineData("join_ans with data", MessageCodes.JoinAns, "0002 abcd")]
    [InlineData("leave_req from_pred", MessageCodes.LeaveReq, N1 + "0013 02 0010" + N2)]
    [InlineData("leave_req from_succ, no successors", MessageCodes.LeaveReq, N1 + "0003 01 0000")]
    [InlineData("leave_req from_succ, two", MessageCodes.LeaveReq, N2 + "0023 01 0020" + N1 + N2)]
    [InlineData("leave_ans", MessageCodes.LeaveAns, "")]
    public void Valid(string label, ushort code, string hex) =>
        BodyVectors.AssertValid(code, hex, Expected[label]);

    [Theory]
    [InlineData("join_req short joining_peer_id", MessageCodes.JoinReq, "00112233", "joining_peer_id", 0)]
    [InlineData("join_req data runs past the body", MessageCodes.JoinReq, N1 + "0004 0102", "overlay_specific_data", 16)]
    [InlineData("join_ans data runs past the body", MessageCodes.JoinAns, "0002 ab", "overlay_specific_data", 0)]
    [InlineData("join_ans leftover", MessageCodes.JoinAns, "0000 ff", "message_body", 2)]
    [InlineData("leave_req short leaving_peer_id", MessageCodes.LeaveReq, "0011", "leaving_peer_id", 0)]
    [InlineData("leave_req without ChordLeaveData", MessageCodes.LeaveReq, N1 + "0000", "overlay_specific_data.type", 18)]
    [InlineData("leave_req invalidChordLeaveType(0)", MessageCodes.LeaveReq, N1 + "0003 00 0000", "overlay_specific_data.type", 18)]
    [InlineData("leave_req unknown ChordLeaveType 3", MessageCodes.LeaveReq, N1 + "0003 03 0000", "overlay_specific_data.type", 18)]
    [InlineData("leave_req successors not whole Node-IDs", MessageCodes.LeaveReq, N1 + "0004 01 0001 ab", "overlay_specific_data.successors", 21)]
    [InlineData("leave_req predecessors run past overlay_specific_data", MessageCodes.LeaveReq, N1 + "0003 02 0010" + N2, "overlay_specific_data.predecessors", 19)]
    [InlineData("leave_req bytes after ChordLeaveData", MessageCodes.LeaveReq, N1 + "0004 01 0000 ff", "overlay_specific_data", 21)]
    [InlineData("leave_req overlay_specific_data runs past the body", MessageCodes.LeaveReq, N1 + "0005 01 0000", "overlay_specific_data", 16)]
    [InlineData("leave_ans not empty", MessageCodes.LeaveAns, "00", "message_body", 0)]
    public void Invalid(string label, ushort code, string hex, string fieldPath, int offset)
    {
        _ = label;
        BodyVectors.AssertInvalid(code, hex, fieldPath, offset);
    }
}
