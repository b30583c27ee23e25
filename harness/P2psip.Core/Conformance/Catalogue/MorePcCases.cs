using P2psip.Conformance.Probe;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Storage;
using P2psip.Messages.Topology;
using P2psip.Peer.Storage;
using P2psip.Wire;

namespace P2psip.Conformance.Catalogue;

/// <summary>
/// The rest of the protocol-conformance basics: Via and Destination handling (PC-3), the
/// transaction id on answers to every method (PC-4), sizes at the limit (PC-8), and the answers of
/// Stat, Find, AppAttach, Update and an empty Fetch (PC-6, PC-10).
/// </summary>
internal static class MorePcCases
{
    private const string Direct = "one harness probe with its own link to the SUT";

    public static IEnumerable<ConformanceCase> All()
    {
        yield return Case("PC-3-01", "A Destination List with a duplicate entry is refused", ["PC-3"], ["13.6.5", "6.3.2.2"], Requirement.Should,
            "a Ping whose Destination List names the SUT and then the same other Node-ID twice",
            "Error_Invalid_Message (§13.6.5: implementations SHOULD check the Destination List for duplicates); never forwarded as it is",
            async c =>
            {
                var link = await c.ConnectAsync();
                Opaque other = RoutingSteps.Add(c.SutNodeId, 1 << 20);
                var ping = c.Request(new PingReq(Opaque.Empty), header: h => h with
                {
                    DestinationList = [new NodeDestination(c.SutNodeId), new NodeDestination(other), new NodeDestination(other)],
                });
                var reply = await link.RequestAsync(ping, c.Timeouts.Answer);
                return Judge.RefusedWith(reply, ErrorCodes.InvalidMessage, "a Destination List with a duplicate");
            });
        yield return Case("PC-3-02", "A response is addressed back along the request's Via List, reversed", ["PC-3", "PC-4"], ["6.3.2.2", "6.3.2.3"], Requirement.Must,
            CaseSetup.Bound(Direct), // the answer is addressed to the probe by Node-ID
            "a Ping to the SUT over the probe's direct link (empty Via List)",
            "the PingAns's Destination List is exactly the probe's Node-ID (the reversed Via List with the previous hop appended)",
            async c =>
            {
                var link = await c.ConnectAsync();
                var reply = await link.RequestAsync(c.Request(new PingReq(Opaque.Empty)), c.Timeouts.Answer);
                if (reply.Message is not { Body: PingAns } answer) return Judge.AnsweredWith<PingAns>(reply, "Ping");
                var route = answer.Header.DestinationList.Select(d => d.ToString()).ToList();
                return answer.Header.DestinationList is [NodeDestination n] && n.NodeId == c.Lab.Probe.NodeId
                    ? Outcome.Pass($"the PingAns is addressed to the probe only ({route[0]})")
                    : Outcome.Fail($"the PingAns's Destination List is [{string.Join(", ", route)}], not [the probe's Node-ID]");
            });
        yield return Case("PC-4-02", "A StoreAns echoes the Store's transaction id", ["PC-4"], ["6.3.2"], Requirement.Must,
            "a Store of a SIP registration by an enrolled user over its own link",
            "the StoreAns carries the request's transaction id",
            async c =>
            {
                var alice = await StorageSteps.PartyAsync(c, "alice");
                var body = SipUsage.Register(alice.Identity, StorageSteps.AorOf(alice.Identity), "sip:alice@192.0.2.1", DateTimeOffset.UtcNow, 3600);
                var reply = await StorageSteps.StoreAsync(c, alice, body);
                return reply.Kind switch
                {
                    ProbeReplyKind.Answer => Judge.AnsweredWith<StoreAns>(reply, "Store"),
                    ProbeReplyKind.WrongTransactionId => Outcome.Fail(reply.Detail),
                    _ => Outcome.Fail($"no answer to the Store: {reply}"),
                };
            });
        yield return Case("PC-6-03", "A Fetch of a Resource-ID that holds nothing is answered, not refused", ["PC-6", "PC-10"], ["7.4.2.2"], Requirement.Must,
            "a Fetch of SIP-REGISTRATION (all keys) at an AOR nobody registered",
            "a FetchAns with no values (§7.4.2.2: absent data is an empty answer, not an error)",
            async c =>
            {
                var link = await c.ConnectAsync();
                var aor = $"nobody.{c.Random.Next(100000, 999999)}@{c.Lab.OverlayName}";
                var reply = await link.RequestAsync(c.Request(SipUsage.Lookup(aor), destination: new ResourceDestination(SipUsage.ResourceIdOf(aor))), c.Timeouts.Answer);
                if (reply.Message?.Body is not FetchAns answer) return Judge.AnsweredWith<FetchAns>(reply, "Fetch of an empty AOR");
                int values = answer.KindResponses.Sum(k => k.Values.Count(v => v.Value is DictionaryEntry { Value.Exists: true }));
                return values == 0 ? Outcome.Pass("a FetchAns with no existing values")
                    : Outcome.Fail($"a FetchAns with {values} value(s) at an AOR nobody registered");
            });
        yield return Case("PC-8-03", "A message of exactly max-message-size is accepted", ["PC-8"], ["6.3.2", "11.1"], Requirement.Must,
            "a signed Ping padded so that the whole message is max-message-size bytes",
            "a PingAns: the limit is inclusive",
            async c =>
            {
                var link = await c.ConnectAsync();
                int limit = (int)c.Lab.Configuration.MaxMessageSize;
                // ECDSA signatures vary by a byte or two: pad, sign, measure, and trim until the message fits.
                int padding = limit - ReloadCodec.Encode(c.Request(new PingReq(Opaque.Empty))).Length;
                if (padding < 0) return Outcome.Inconclusive($"an empty Ping is already above max-message-size {limit}");
                var ping = c.Request(new PingReq((Opaque)new byte[padding]));
                int size = ReloadCodec.Encode(ping).Length;
                for (int attempt = 0; attempt < 8 && size > limit; attempt++)
                {
                    padding -= size - limit;
                    ping = c.Request(new PingReq((Opaque)new byte[padding]));
                    size = ReloadCodec.Encode(ping).Length;
                }
                if (size > limit) return Outcome.Inconclusive($"could not make a Ping of at most {limit} bytes");
                var reply = await link.RequestAsync(ping, c.Timeouts.Answer);
                return Judge.AnsweredWith<PingAns>(reply, $"a {size}-byte Ping (max-message-size {limit})");
            });
        yield return Case("PC-10-06", "A Stat is answered with the metadata of what is stored", ["PC-10"], ["6.4.2", "7.4.3"], Requirement.Must,
            "alice registers her AOR; the probe sends a Stat of SIP-REGISTRATION at it",
            "a StatAns with one entry for alice's key",
            async c =>
            {
                var alice = await StorageSteps.PartyAsync(c, "alice");
                var (value, why) = await StorageSteps.RegisterAsync(c, alice, "sip:alice@192.0.2.1");
                if (value is null) return Outcome.Inconclusive(why);
                var aor = StorageSteps.AorOf(alice.Identity);
                var stat = new StatReq(SipUsage.ResourceIdOf(aor), [new StoredDataSpecifier(KindRegistry.SipRegistration, 0, new DictionarySpecifier([]))]);
                var reply = await alice.Link.RequestAsync(c.Request(stat, alice.Identity, new ResourceDestination(stat.Resource)), c.Timeouts.Answer);
                if (reply.Message?.Body is not StatAns answer) return Judge.AnsweredWith<StatAns>(reply, "Stat");
                int entries = answer.KindResponses.Sum(k => k.Values.Count);
                return entries >= 1 ? Outcome.Pass($"a StatAns with {entries} entr{(entries == 1 ? "y" : "ies")}")
                    : Outcome.Fail("a StatAns without the entry alice stored");
            });
        yield return Case("PC-10-07", "A Find is answered", ["PC-10"], ["6.4.2", "7.4.4"], Requirement.Must,
            "a Find for SIP-REGISTRATION at a Resource-ID",
            "a FindAns with one result per Kind asked",
            async c =>
            {
                var link = await c.ConnectAsync();
                var resource = c.Lab.NewNodeId();
                var reply = await link.RequestAsync(c.Request(new FindReq(resource, [KindRegistry.SipRegistration]), destination: new ResourceDestination(resource)), c.Timeouts.Answer);
                if (reply.Message?.Body is not FindAns answer) return Judge.AnsweredWith<FindAns>(reply, "Find");
                return answer.Results.Count == 1 ? Outcome.Pass("a FindAns with one result")
                    : Outcome.Fail($"a FindAns with {answer.Results.Count} results for one Kind");
            });
        yield return Case("PC-10-08", "An AppAttach is answered for the SIP application", ["PC-10", "TR-4b"], ["6.5.2"], Requirement.Must,
            "an AppAttach (application 5060, role passive) to the SUT",
            "an AppAttachAns for application 5060 with at least one candidate",
            async c =>
            {
                var link = await c.ConnectAsync();
                var attach = PcCases.Attach(c, "passive");
                var reply = await link.RequestAsync(c.Request(new AppAttachReq(attach.Ufrag, attach.Password, 5060, attach.Role, attach.Candidates)), c.Timeouts.Answer);
                if (reply.Message?.Body is not AppAttachAns answer) return Judge.AnsweredWith<AppAttachAns>(reply, "AppAttach");
                return answer.Application == 5060 && answer.Candidates.Count > 0
                    ? Outcome.Pass($"AppAttachAns for application {answer.Application} with {answer.Candidates.Count} candidate(s)")
                    : Outcome.Fail($"AppAttachAns for application {answer.Application} with {answer.Candidates.Count} candidate(s)");
            });
        yield return Case("PC-10-09", "An Update from a linked node is answered with an UpdateAns", ["PC-10", "UN-4"], ["10.7.1"], Requirement.Must,
            CaseSetup.Bound("a neighbour with its own link (Node-ID just after the SUT's)"),
            "a peer_ready Update",
            "an UpdateAns",
            async c =>
            {
                var a = await StorageSteps.PartyAsync(c, "neighbour", c.Lab.Issue($"neighbour.{c.Case.Id.ToLowerInvariant()}", RoutingSteps.NearSut(c, 1)));
                var reply = await a.Link.RequestAsync(c.Request(new UpdateReq(new Messages.Chord.PeerReadyUpdate(1)), a.Identity), c.Timeouts.Answer);
                return Judge.AnsweredWith<UpdateAns>(reply, "Update");
            });
        yield return Case("PC-10-10", "A Leave from the leaving node itself is accepted", ["PC-10", "UN-5"], ["10.7.2", "6.4.2"], Requirement.Must,
            CaseSetup.Bound("neighbour A (just after the SUT) in its Neighbor Table over its own link"),
            "A sends a LeaveReq naming itself",
            "a LeaveAns, and A is no longer in the SUT's tables",
            async c =>
            {
                var a = await RoutingSteps.NeighbourAsync(c, "leaver", 1);
                var reply = await a.Link.RequestAsync(c.Request(new LeaveReq(a.Identity.NodeId, Messages.Chord.ChordLeaveData.FromSucc([])), a.Identity), c.Timeouts.Answer);
                return Judge.AnsweredWith<LeaveAns>(reply, "Leave from the leaving node");
            });
    }

    private static ConformanceCase Case(string id, string title, string[] threats, string[] rfc, Requirement requirement,
        string stimulus, string oracle, Func<CaseContext, Task<Outcome>> run) =>
        SuiteCase.AfterPing(id, title, threats, rfc, Direct, stimulus, oracle, run, requirement: requirement);

    private static ConformanceCase Case(string id, string title, string[] threats, string[] rfc, Requirement requirement,
        CaseSetup setup, string stimulus, string oracle, Func<CaseContext, Task<Outcome>> run) =>
        SuiteCase.AfterPing(id, title, threats, rfc, setup, stimulus, oracle, run, requirement: requirement);
}
