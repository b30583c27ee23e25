using P2psip.Conformance.Probe;
using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Topology;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Conformance.Catalogue;

/// <summary>
/// What the routing cases share: harness parties placed on the ring next to the SUT (Node-IDs the
/// operator chooses), joining its Neighbor Table by an Update over their own link (§10.7.3: the
/// link is the Attach), and the SUT's tables read back from outside through RouteQuery with
/// send_update (§10.4), which makes the SUT send a full Update.
/// </summary>
internal static class RoutingSteps
{
    /// <summary>
    /// A party whose Node-ID is the SUT's + <paramref name="offset"/>: just after the SUT, so it is
    /// responsible for almost nothing and the SUT keeps answering for the rest of the ring.
    /// </summary>
    /// <summary>
    /// A party with a Node-ID just after the SUT's that announces itself (peer_ready Update) and is
    /// waited for in the SUT's tables. With <paramref name="answersSut"/> it answers the SUT's Updates
    /// and Pings (<see cref="PartyAnswers"/>): a neighbour that must stay in the tables must not look
    /// failed (§10.7.1: an unanswered request counts as the neighbour's failure).
    /// </summary>
    public static async Task<Party> NeighbourAsync(CaseContext c, string name, int offset, bool answersSut = false)
    {
        var identity = c.Lab.Issue($"{name}.{c.Case.Id.ToLowerInvariant()}", Add(c.SutNodeId, offset));
        var party = await StorageSteps.PartyAsync(c, name, identity);
        if (answersSut) party.Link.AnswerRequests = new PartyAnswers(c.Factory, identity, c.SutNodeId).To;
        var reply = await party.Link.RequestAsync(c.Request(new UpdateReq(new PeerReadyUpdate(1)), identity), c.Timeouts.Answer);
        if (!Judge.Is<UpdateAns>(reply)) c.Evidence.Note($"{name}'s peer_ready Update got {reply}");
        // The SUT admits it once the Update is handled; on a loaded machine that can lag the answer a little.
        var deadline = DateTime.UtcNow + c.Timeouts.Answer;
        while (DateTime.UtcNow < deadline && (await TablesAsync(c, party))?.Contains(identity.NodeId) != true)
            await Task.Delay(100);
        return party;
    }

    /// <summary>The Node-IDs the SUT lists in its tables (predecessors, successors, fingers), or null when it sends no full Update.</summary>
    public static async Task<HashSet<Opaque>?> TablesAsync(CaseContext c, Party asker)
    {
        int before = asker.Link.RequestsFromSutCount;
        var reply = await asker.Link.RequestAsync(c.Request(new RouteQueryReq(true, new NodeDestination(c.SutNodeId)), asker.Identity), c.Timeouts.Answer);
        if (!Judge.Is<RouteQueryAns>(reply)) return null;
        var update = await asker.Link.RequestFromSutAsync(m => m.Body is UpdateReq { Update: FullUpdate }, c.Timeouts.Answer * 2, before);
        if (update?.Body is not UpdateReq { Update: FullUpdate full }) return null;
        return [.. full.Predecessors, .. full.Successors, .. full.Fingers];
    }

    /// <summary><paramref name="id"/> + <paramref name="offset"/> on the ring (mod 2^128).</summary>
    public static byte[] Add(Opaque id, long offset)
    {
        var value = new System.Numerics.BigInteger(id.Span, isUnsigned: true, isBigEndian: true);
        var modulus = System.Numerics.BigInteger.One << (id.Length * 8);
        var sum = ((value + offset) % modulus + modulus) % modulus;
        var bytes = sum.ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[id.Length];
        bytes.CopyTo(result, result.Length - bytes.Length);
        return result;
    }

    public static string Hex(Opaque id) => id.ToHex();
}
