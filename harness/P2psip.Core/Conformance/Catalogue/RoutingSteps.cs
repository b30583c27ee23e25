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
    /// How many Node-IDs a case's stretch of the ring holds on each side of the SUT, and how many
    /// attempts (the first run and its reruns) get a stretch of their own.
    /// </summary>
    internal const long StretchWidth = 16, AttemptsWithOwnStretch = 4;

    /// <summary>
    /// The Node-ID <paramref name="offset"/> places from the SUT's inside this case's own stretch of
    /// the ring: still just after (or before) the SUT, so the party is responsible for almost
    /// nothing, but no earlier case or attempt used it. What the SUT still holds about an earlier
    /// case's party — an Update it retransmits to that Node-ID, whose timeout it then counts as the
    /// neighbour's failure (§10.7.1), a Node-ID it saw leave (§10.9) — must not meet this case's parties.
    /// </summary>
    public static byte[] NearSut(CaseContext c, long offset)
    {
        if (offset == 0 || Math.Abs(offset) >= StretchWidth) throw new ArgumentOutOfRangeException(nameof(offset), offset, $"within ±{StretchWidth - 1}, not 0");
        return Add(c.SutNodeId, Math.Sign(offset) * StretchOf(c) + offset);
    }

    /// <summary>The same point of this case's stretch, taken from <paramref name="anchor"/> instead of the SUT (e.g. the opposite side of the ring).</summary>
    public static byte[] NearAnchor(CaseContext c, Opaque anchor, long offset) => Add(anchor, StretchOf(c) + offset);

    private static long StretchOf(CaseContext c) => Stretch(c.Case.Id, c.Attempt);

    /// <summary>Where the stretch of a case's attempt begins, in Node-IDs from the SUT's: one apart from every other case's and attempt's.</summary>
    internal static long Stretch(string caseId, int attempt)
    {
        int index = -1;
        var all = SuiteCatalogue.All;
        for (int i = 0; i < all.Count && index < 0; i++)
            if (all[i].Id == caseId) index = i;
        // A case outside the catalogue (the harness's own tests) gets a stretch past the catalogue's, from its ID.
        if (index < 0) index = all.Count + System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(caseId))[0] * 4;
        long slot = Math.Min(attempt, AttemptsWithOwnStretch - 1);
        return (index * AttemptsWithOwnStretch + slot + 1) * StretchWidth;
    }

    /// <summary>
    /// A party with a Node-ID just after the SUT's (<see cref="NearSut"/>) that announces itself (peer_ready Update) and is
    /// waited for in the SUT's tables. With <paramref name="answersSut"/> it answers the SUT's Updates
    /// and Pings (<see cref="PartyAnswers"/>): a neighbour that must stay in the tables must not look
    /// failed (§10.7.1: an unanswered request counts as the neighbour's failure).
    /// </summary>
    public static async Task<Party> NeighbourAsync(CaseContext c, string name, int offset, bool answersSut = false)
    {
        var identity = c.Lab.Issue($"{name}.{c.Case.Id.ToLowerInvariant()}", NearSut(c, offset));
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
        // Only an Update addressed to the asker: the SUT also routes through it Updates it is still
        // retransmitting to an earlier party whose Node-ID the asker is now responsible for (§10.3),
        // and those list that party's view, not the tables now.
        var asked = asker.Identity.NodeId;
        var update = await asker.Link.RequestFromSutAsync(m => m.Body is UpdateReq { Update: FullUpdate } && AddressedTo(m, asked), c.Timeouts.Answer * 2, before);
        if (update?.Body is not UpdateReq { Update: FullUpdate full }) return null;
        return [.. full.Predecessors, .. full.Successors, .. full.Fingers];
    }

    private static bool AddressedTo(ReloadMessage message, Opaque nodeId) =>
        message.Header.DestinationList.Count == 1 && message.Header.DestinationList[0] is NodeDestination { NodeId: var to } && to == nodeId;

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
