using P2psip.Conformance.Probe;
using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Link;
using P2psip.Messages.Storage;
using P2psip.Messages.Topology;
using P2psip.Peer;
using P2psip.Peer.Storage;
using P2psip.Security;
using P2psip.Wire;
using static P2psip.Conformance.Catalogue.RoutingSteps;
using static P2psip.Conformance.Catalogue.StorageSteps;

namespace P2psip.Conformance.Catalogue;

/// <summary>
/// Replays (UN-3), routing-table poisoning (UN-4) and churn (UN-5), observed from outside: answers,
/// what a later Fetch returns, and the SUT's tables read back through RouteQuery.
/// </summary>
internal static class ReplayAndRoutingCases
{
    public static IEnumerable<ConformanceCase> All()
    {
        yield return Case("UN-3-01", "A replayed older value does not roll the data back", ["UN-3", "TR-2b"], ["7.4.1.1"],
            [DefenceSwitches.StorageTime],
            "the SUT storing; alice with her own link",
            "alice stores v1, then v2 a second later; then alice's signed v1 is sent again in a new Store message",
            "Error_Data_Too_Old, and a Fetch returns v2 byte for byte",
            async c =>
            {
                var alice = await PartyAsync(c, "alice");
                var now = DateTimeOffset.UtcNow;
                var v1 = SipUsage.Register(alice.Identity, AorOf(alice.Identity), "sip:alice@192.0.2.1", now, 3600);
                if (!Judge.Is<StoreAns>(await StoreAsync(c, alice, v1))) return Outcome.Inconclusive("alice's first Store was refused");
                var (v2, why) = await RegisterAsync(c, alice, "sip:alice@192.0.2.2", now.AddSeconds(1));
                if (v2 is null) return Outcome.Inconclusive(why);
                var replay = await StoreAsync(c, alice, v1);
                return await RefusedAndIntactAsync(c, alice, replay, ErrorCodes.DataTooOld, "the replay of alice's older value", AorOf(alice.Identity), v2);
            });
        yield return Case("UN-3-02", "A request replayed with its transaction id is not executed twice", ["UN-3"], ["6.2.1", "6.3.2", "7.4.1.1"],
            [DefenceSwitches.TransactionReplay],
            "the SUT storing; alice with her own link",
            "alice stores v1 and reads the generation G; she stores v2 with generation counter G; then the very same bytes of that Store again (same transaction id)",
            "the copy gets the first answer again (or none); executed a second time it would meet generation G+1 and get Error_Generation_Counter_Too_Low",
            async c =>
            {
                var alice = await PartyAsync(c, "alice");
                var aor = AorOf(alice.Identity);
                var now = DateTimeOffset.UtcNow;
                var first = await StoreAsync(c, alice, SipUsage.Register(alice.Identity, aor, "sip:alice@192.0.2.1", now, 3600));
                if (first.Message?.Body is not StoreAns v1) return Outcome.Inconclusive($"alice's first Store got {first}");
                var store = c.Request(SipUsage.Register(alice.Identity, aor, "sip:alice@192.0.2.2", now.AddSeconds(1), 3600, Generation(v1)), alice.Identity,
                    new ResourceDestination(SipUsage.ResourceIdOf(aor)));
                var bytes = ReloadCodec.Encode(store);
                var second = await alice.Link.RequestRawAsync(bytes, store.Header.TransactionId, c.Timeouts.Answer);
                if (second.Message?.Body is not StoreAns v2) return Outcome.Inconclusive($"the Store with generation counter {Generation(v1)} got {second}");
                var replay = await alice.Link.RequestExpectingSilenceAsync(bytes, store.Header.TransactionId, c.Request(new PingReq(Opaque.Empty), alice.Identity), c.Timeouts.Answer);
                return replay switch
                {
                    { Kind: ProbeReplyKind.Timeout or ProbeReplyKind.Closed } => Outcome.Pass($"the replay was not answered ({replay.Detail})"),
                    { Message.Body: StoreAns again } when again.Equals(v2) => Outcome.Pass("the replay got the first answer again: not executed twice"),
                    { Message.Body: StoreAns again } => Outcome.Fail($"the replay was executed again: generation {Generation(again)} after {Generation(v2)}"),
                    { ErrorCode: ErrorCodes.GenerationCounterTooLow or ErrorCodes.DataTooOld } => Outcome.Fail($"the replay was executed a second time ({replay})"),
                    _ => Outcome.Lenient($"the replay got {replay} instead of the first answer"),
                };
            });
        yield return Case("UN-3-03", "A Store with a stale generation counter gets Error_Generation_Counter_Too_Low", ["UN-3"], ["7.4.1.1"],
            [DefenceSwitches.GenerationCounter],
            "the SUT storing; alice with her own link",
            "alice stores; then a newer Store of hers whose generation counter is not the one the SUT returned",
            "Error_Generation_Counter_Too_Low, and the first value stays",
            async c =>
            {
                var alice = await PartyAsync(c, "alice");
                var now = DateTimeOffset.UtcNow;
                var first = SipUsage.Register(alice.Identity, AorOf(alice.Identity), "sip:alice@192.0.2.1", now, 3600);
                var reply = await StoreAsync(c, alice, first);
                if (reply.Message?.Body is not StoreAns answer) return Outcome.Inconclusive($"alice's first Store got {reply}");
                ulong stale = Generation(answer) + 7;
                var second = SipUsage.Register(alice.Identity, AorOf(alice.Identity), "sip:alice@192.0.2.2", now.AddSeconds(1), 3600, stale);
                var attack = await StoreAsync(c, alice, second);
                return await RefusedAndIntactAsync(c, alice, attack, ErrorCodes.GenerationCounterTooLow,
                    $"a Store with generation counter {stale} (the SUT's is {Generation(answer)})", AorOf(alice.Identity), first.KindData[0].Values[0]);
            });
        yield return Case("UN-3-04", "A Leave for another node, from another channel, has no effect", ["UN-3", "UN-5"], ["10.7.2", "13.5.3"],
            [DefenceSwitches.JoinLeaveBinding],
            CaseSetup.Bound("neighbour A (Node-ID just after the SUT's) in the SUT's Neighbor Table over its own link; mallory with his own link"),
            "mallory sends a LeaveReq naming A as the leaving peer",
            "refused (Error_Forbidden) or ignored; A is still in the SUT's tables",
            async c =>
            {
                var a = await NeighbourAsync(c, "neighbour", 1);
                var before = await TablesAsync(c, a);
                if (before is null || !before.Contains(a.Identity.NodeId)) return Outcome.Inconclusive("the neighbour did not get into the SUT's tables (precondition)");
                var mallory = await PartyAsync(c, "mallory");
                var reply = await mallory.Link.RequestAsync(c.Request(new LeaveReq(a.Identity.NodeId, ChordLeaveData.FromSucc([])), mallory.Identity), c.Timeouts.Answer);
                var after = await TablesAsync(c, a);
                if (after is null) return Outcome.Inconclusive("the SUT's tables could not be read back after the Leave");
                return after.Contains(a.Identity.NodeId)
                    ? Outcome.Pass($"A is still in the SUT's tables; the forged Leave got {reply}")
                    : Outcome.Fail($"after mallory's Leave naming A ({reply}), A is gone from the SUT's tables");
            });
        yield return Case("UN-3-05", "A Join claiming another Node-ID than the channel's is refused", ["UN-3", "UN-1a"], ["10.5", "13.6.3"],
            [DefenceSwitches.JoinLeaveBinding],
            "mallory with his own link to the SUT",
            "a JoinReq from mallory whose joining peer is a Node-ID mallory's certificate does not carry",
            "Error_Forbidden (or no JoinAns)",
            async c =>
            {
                var mallory = await PartyAsync(c, "mallory");
                var reply = await mallory.Link.RequestAsync(c.Request(new JoinReq(NearSut(c, 5), Opaque.Empty), mallory.Identity), c.Timeouts.Answer);
                return reply.Message?.Body is JoinAns
                    ? Outcome.Fail("the SUT answered a JoinAns to a Join for a Node-ID the channel is not bound to")
                    : Judge.RefusedWith(reply, ErrorCodes.Forbidden, "a Join for someone else's Node-ID");
            });
        yield return Case("UN-4-01", "Node-IDs named in an Update do not enter the tables before an Attach to them succeeded", ["UN-4"], ["10.7.3"],
            [DefenceSwitches.AttachBeforeUpdate],
            CaseSetup.Bound("neighbour A (just after the SUT) in its Neighbor Table"),
            "A sends a neighbors Update naming two fabricated Node-IDs just around the SUT as predecessor and successor; A answers nothing for them",
            "neither fabricated Node-ID appears in the SUT's tables read back through RouteQuery",
            async c =>
            {
                var a = await NeighbourAsync(c, "neighbour", 1);
                Opaque f1 = NearSut(c, -3), f2 = NearSut(c, 3);
                await a.Link.RequestAsync(c.Request(new UpdateReq(new NeighborsUpdate(1, [f1], [f2])), a.Identity), c.Timeouts.Answer);
                var tables = await TablesAsync(c, a);
                if (tables is null) return Outcome.Inconclusive("the SUT's tables could not be read back");
                var poisoned = new[] { f1, f2 }.Where(tables.Contains).ToList();
                return poisoned.Count == 0
                    ? Outcome.Pass($"the SUT's tables ({tables.Count} entries) hold neither fabricated Node-ID")
                    : Outcome.Fail($"fabricated Node-ID(s) {string.Join(", ", poisoned.Select(Hex))} are in the SUT's tables without an Attach");
            });
        yield return Case("UN-4-02", "After a poisoning Update, lookups still succeed", ["UN-4", "UN-2a"], ["10.7.3", "10.3"],
            [DefenceSwitches.AttachBeforeUpdate],
            CaseSetup.Bound("neighbour A (just after the SUT); alice with her own link"),
            "alice registers her AOR; A sends an Update naming a fabricated Node-ID equal to that AOR's Resource-ID (so it would be responsible for it)",
            "a Fetch of the AOR through the SUT still returns alice's value",
            async c =>
            {
                var alice = await PartyAsync(c, "alice");
                var (value, why) = await RegisterAsync(c, alice, "sip:alice@192.0.2.1");
                if (value is null) return Outcome.Inconclusive(why);
                var a = await NeighbourAsync(c, "neighbour", 1);
                Opaque fake = SipUsage.ResourceIdOf(AorOf(alice.Identity));
                await a.Link.RequestAsync(c.Request(new UpdateReq(new NeighborsUpdate(1, [fake], [fake])), a.Identity), c.Timeouts.Answer);
                var (values, fetchWhy) = await ValuesAsync(c, alice, AorOf(alice.Identity));
                return values?.Any(v => v.Equals(value)) == true
                    ? Outcome.Pass("the Fetch after the poisoning Update still returns alice's value")
                    : Outcome.Fail($"after an Update naming fabricated Node-ID {Hex(fake)}, the lookup fails: {(values is null ? fetchWhy : $"{values.Count} value(s), not alice's")}");
            });
        yield return Case("UN-5-01", "An Update flood on one link is rate-limited", ["UN-5"], ["10.7.2"],
            [DefenceSwitches.RateLimits], Requirement.Should,
            CaseSetup.Bound("neighbour A (just after the SUT) in its Neighbor Table"),
            "A sends 200 peer_ready Updates back to back",
            "the SUT does not process them all at once: fewer than 150 of the 200 are answered within the answer timeout",
            async c =>
            {
                var a = await NeighbourAsync(c, "churner", 1);
                var ids = new List<ulong>();
                for (int i = 0; i < 200; i++)
                {
                    var update = c.Request(new UpdateReq(new PeerReadyUpdate((uint)i)), a.Identity);
                    ids.Add(update.Header.TransactionId);
                    await a.Link.SendAsync(update);
                }
                int answered = 0;
                var deadline = DateTime.UtcNow + c.Timeouts.Answer;
                foreach (var id in ids)
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero) break;
                    // Answers come in order; once one is missing for half a second the rest were dropped too.
                    var wait = answered == 0 ? left : TimeSpan.FromMilliseconds(Math.Min(500, left.TotalMilliseconds));
                    if ((await a.Link.AnswerAsync(id, wait)).IsAnswer) answered++;
                    else if (answered > 0) break;
                }
                return answered < 150
                    ? Outcome.Pass($"{answered} of 200 back-to-back Updates were answered: the flood is limited")
                    : Outcome.Fail($"{answered} of 200 back-to-back Updates were answered within {c.Timeouts.Answer.TotalSeconds:0} s: no rate limit (§10.7.2)");
            });
        yield return Case("UN-5-02", "Under a flood of forged Leaves, a stable neighbour is kept", ["UN-5"], ["10.7.2", "13.5.3"],
            [DefenceSwitches.JoinLeaveBinding],
            CaseSetup.Bound("neighbours A and B (just after the SUT) in its Neighbor Table; mallory with his own link"),
            "mallory sends 50 LeaveReqs naming A and B in turn",
            "A and B are still in the SUT's tables afterwards",
            async c =>
            {
                // Stable: they answer the SUT's Updates and Pings, so only the Leaves can take them out.
                var a = await NeighbourAsync(c, "stable-a", 1, answersSut: true);
                var b = await NeighbourAsync(c, "stable-b", 2, answersSut: true);
                // Both at once: on a loaded machine B's admission can lag, so ask again until a deadline.
                var before = await TablesAsync(c, a);
                for (var deadline = DateTime.UtcNow + c.Timeouts.Answer * 2;
                     (before is null || !before.Contains(a.Identity.NodeId) || !before.Contains(b.Identity.NodeId)) && DateTime.UtcNow < deadline;
                     before = await TablesAsync(c, a))
                    await Task.Delay(100);
                if (before is null || !before.Contains(a.Identity.NodeId) || !before.Contains(b.Identity.NodeId))
                    return Outcome.Inconclusive($"the neighbours did not get into the SUT's tables (precondition): tables {(before is null ? "not read" : string.Join(" ", before.Select(Hex)))}");
                var mallory = await PartyAsync(c, "mallory");
                for (int i = 0; i < 50; i++)
                    await mallory.Link.SendAsync(c.Request(new LeaveReq(i % 2 == 0 ? a.Identity.NodeId : b.Identity.NodeId, ChordLeaveData.FromSucc([])), mallory.Identity));
                await mallory.Link.RequestAsync(c.Request(new PingReq(Opaque.Empty), mallory.Identity), c.Timeouts.Answer);
                var after = await TablesAsync(c, a);
                if (after is null) return Outcome.Inconclusive("the SUT's tables could not be read back after the flood");
                var lost = new[] { a, b }.Where(p => !after.Contains(p.Identity.NodeId)).Select(p => Hex(p.Identity.NodeId)).ToList();
                return lost.Count == 0 ? Outcome.Pass("both neighbours are still in the SUT's tables after 50 forged Leaves")
                    : Outcome.Fail($"after 50 forged Leaves the SUT dropped {string.Join(", ", lost)} from its tables");
            });
    }

    private static ulong Generation(StoreAns answer) => answer.KindResponses.Count > 0 ? answer.KindResponses[0].GenerationCounter : 0;

    private static ConformanceCase Case(string id, string title, string[] threats, string[] rfc, string[] detects, CaseSetup setup, string stimulus, string oracle,
        Func<CaseContext, Task<Outcome>> run) => SuiteCase.AfterPing(id, title, threats, rfc, setup, stimulus, oracle, run, detects);

    private static ConformanceCase Case(string id, string title, string[] threats, string[] rfc, string[] detects, Requirement requirement,
        CaseSetup setup, string stimulus, string oracle, Func<CaseContext, Task<Outcome>> run) =>
        SuiteCase.AfterPing(id, title, threats, rfc, setup, stimulus, oracle, run, detects, requirement);
}
