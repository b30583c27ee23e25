using P2psip.Conformance.Probe;
using P2psip.Conformance.Sut;
using P2psip.Links;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Storage;
using P2psip.Messages.Topology;
using P2psip.Peer;
using P2psip.Peer.Storage;
using P2psip.Security;
using P2psip.Wire;
using static P2psip.Conformance.Catalogue.RoutingSteps;

namespace P2psip.Conformance.Catalogue;

/// <summary>
/// The SUT among harness peers that joined through it (Node-IDs the operator chose): as a
/// forwarder (UN-2b, UN-2c: where and how it passes messages on), as a requester whose answers come
/// from a lying or dropping neighbour (UN-1c, UN-2a), and as an Attach offerer to an impostor
/// (TR-3).
/// </summary>
internal static class ForwardingCases
{
    private static readonly System.Numerics.BigInteger Half = System.Numerics.BigInteger.One << 127;

    public static IEnumerable<ConformanceCase> All()
    {
        yield return Case("UN-2b-01", "The SUT forwards a request for a Node-ID to that node", ["UN-2b", "PC-3"], ["6.1.2", "10.3"],
            [], false,
            "harness peer H joined through the SUT at the opposite side of the ring; the probe with its own link to the SUT",
            "a Ping from the probe, addressed to H's Node-ID, sent to the SUT",
            "a PingAns signed by H comes back through the SUT",
            async c =>
            {
                var h = await c.JoinPeerAsync("h", Opposite(c));
                var link = await c.ConnectAsync();
                var reply = await link.RequestAsync(c.Request(new PingReq(Opaque.Empty), destination: new NodeDestination(h.Identity.NodeId)), c.Timeouts.Answer);
                return SignedBy(reply, h.Identity, "the Ping to H");
            });
        yield return Case("UN-2b-02", "The SUT routes a request for a Resource-ID to the peer responsible for it", ["UN-2b"], ["6.1.2", "10.3", "10.4"],
            [], false,
            "harness peer H joined through the SUT; a Resource-ID just before H's Node-ID, so H is responsible for it",
            "a Fetch of that Resource-ID from the probe, sent to the SUT",
            "the FetchAns comes from H (signed by H), not from the SUT or another node",
            async c =>
            {
                var hId = Opposite(c);
                var h = await c.JoinPeerAsync("h", hId);
                Opaque resource = Add(h.Identity.NodeId, -1000);
                var link = await c.ConnectAsync();
                var fetch = new FetchReq(resource, [new StoredDataSpecifier(KindRegistry.SipRegistration, 0, new DictionarySpecifier([]))]);
                var reply = await link.RequestAsync(c.Request(fetch, destination: new ResourceDestination(resource)), c.Timeouts.Answer);
                return SignedBy(reply, h.Identity, $"the Fetch of {Hex(resource)}");
            });
        yield return Case("UN-2c-04", "As a forwarder the SUT changes nothing but the Via List and the TTL", ["UN-2c", "PC-3", "PC-2"], ["6.1.2", "6.3.2.2", "6.3.4"],
            [], false,
            "harness peer H joined through the SUT, keeping every message it receives; the probe with its own link to the SUT",
            "a signed Ping from the probe to H's Node-ID, through the SUT",
            "H receives it with the same contents and security block byte for byte, the TTL one less, and the probe's Node-ID appended to the Via List",
            async c =>
            {
                var seen = new List<byte[]>();
                var h = await c.JoinPeerAsync("h", Opposite(c), handler: _ => new LinkHandler(async (m, ctx) =>
                {
                    if (m.Direction == LinkDirection.Inbound) lock (seen) seen.Add(m.Bytes.ToArray());
                    await ctx.ForwardAsync(m);
                }));
                var link = await c.ConnectAsync();
                var ping = c.Request(new PingReq((Opaque)new byte[] { 7, 7, 7 }), destination: new NodeDestination(h.Identity.NodeId));
                var reply = await link.RequestAsync(ping, c.Timeouts.Answer);
                ReloadMessage? arrived;
                lock (seen)
                    arrived = seen.Select(b => ReloadCodec.DecodeCopy(b)).Where(d => d.IsSuccess).Select(d => d.Value!)
                        .FirstOrDefault(m => m.Header.TransactionId == ping.Header.TransactionId);
                if (arrived is null) return Outcome.Fail($"the Ping never reached H (the probe got {reply})");
                var problems = new List<string>();
                if (!arrived.Contents.Equals(ping.Contents)) problems.Add("the message contents changed");
                if (!arrived.Security.Equals(ping.Security)) problems.Add("the security block changed");
                if (arrived.Header.Ttl != ping.Header.Ttl - 1) problems.Add($"TTL {arrived.Header.Ttl}, expected {ping.Header.Ttl - 1}");
                if (arrived.Header.ViaList is not [NodeDestination via] || via.NodeId != c.Lab.Probe.NodeId)
                    problems.Add($"Via List [{string.Join(", ", arrived.Header.ViaList)}], expected [the probe]");
                if (arrived.Header.Overlay != ping.Header.Overlay || arrived.Header.ConfigurationSequence != ping.Header.ConfigurationSequence)
                    problems.Add("the overlay or configuration sequence changed");
                return problems.Count == 0
                    ? Outcome.Pass("H received the Ping unchanged but for TTL − 1 and the probe appended to the Via List")
                    : Outcome.Fail("as forwarded by the SUT: " + string.Join("; ", problems));
            });
        yield return Case("UN-1c-01", "A forged answer from a node that is not responsible is discarded", ["UN-1c"], ["6.3.4", "13.6.6"],
            [DefenceSwitches.ResponseOrigin], true,
            "neighbour M joined through the SUT, responsible for a Resource-ID R; X, an enrolled node far past R",
            "the SUT fetches R (driven as its application would); M drops the request and answers in X's name with a forged value, signed by X",
            "the SUT does not accept X's answer (§6.3.4: not from a node at least as close to R as its neighbours): its Fetch ends in Error_Request_Timeout, never with the forged value",
            c => ForgedAnswerAsync(c, forgedValue: true));
        yield return Case("UN-1c-02", "A forged 'not found' from a node that is not responsible is discarded", ["UN-1c", "UN-2a"], ["6.3.4"],
            [DefenceSwitches.ResponseOrigin], true,
            "neighbour M joined through the SUT, responsible for a Resource-ID R; X, an enrolled node far past R",
            "the SUT fetches R; M drops the request and answers in X's name with an empty FetchAns",
            "the SUT does not take the empty answer: its Fetch ends in Error_Request_Timeout",
            c => ForgedAnswerAsync(c, forgedValue: false));
        yield return Case("UN-2a-01", "A request dropped on its path ends in a timeout, never a false success", ["UN-2a"], ["6.2.1", "6.3.2"],
            [], true,
            "neighbour M joined through the SUT, responsible for a Resource-ID R, dropping every Fetch it receives",
            "the SUT fetches R",
            "the Fetch ends in Error_Request_Timeout after the retransmissions (§6.2.1), not in an answer",
            async c =>
            {
                var (m, resource, drops) = await DropperAsync(c, int.MaxValue);
                var outcome = await ((ISutDriver)c.Sut).RequestAsync(new ResourceDestination(resource), Lookup(resource));
                return outcome.ErrorCode == ErrorCodes.RequestTimeout
                    ? Outcome.Pass($"after {drops()} transmissions dropped by M, the Fetch ended in Error_Request_Timeout")
                    : outcome.IsError ? Outcome.Lenient($"the Fetch ended in {outcome} rather than Error_Request_Timeout")
                    : Outcome.Fail($"the Fetch succeeded ({outcome}) although M dropped every copy: a false success");
            });
        yield return Case("UN-2a-02", "A request whose first transmissions are dropped still completes by retransmission", ["UN-2a"], ["6.2.1"],
            [], true,
            "neighbour M joined through the SUT, responsible for a Resource-ID R, dropping the first two copies of each Fetch",
            "the SUT fetches R",
            "the SUT retransmits (§6.2.1) and its Fetch gets M's FetchAns",
            async c =>
            {
                var (m, resource, drops) = await DropperAsync(c, 2);
                var outcome = await ((ISutDriver)c.Sut).RequestAsync(new ResourceDestination(resource), Lookup(resource));
                return outcome.Body is FetchAns
                    ? Outcome.Pass($"the Fetch completed after {drops()} dropped transmission(s)")
                    : Outcome.Fail($"the Fetch ended in {outcome} after {drops()} dropped transmission(s): the SUT did not retransmit enough (§6.2.1)");
            });
        yield return Case("UN-2a-03", "A lookup whose responsible peer drops it still gets the value from a replica", ["UN-2a", "UN-1c"], ["13.6.6", "10.4", "7.1"],
            [DefenceSwitches.RedundantLookups], true,
            "alice (a user with her own link to the SUT); M joined through the SUT just after alice's AOR, so responsible for it; S joined just after M, its first replica holder (§10.4)",
            "alice registers her AOR (M stores it and replicates it to S); then M drops every Fetch of it; the SUT looks the AOR up as its application would",
            "§13.6.6 \"a resource search must still consist of parallel searches for replicated registrations\": the SUT's lookup returns alice's registration byte for byte, from a replica",
            RedundantLookupAsync) with { Requirement = Requirement.Should };
        foreach (var impostor in ImpostorCases()) yield return impostor;
    }

    /// <summary>UN-2a-03: the responsible peer M drops the SUT's Fetches; the registration is still on S, M's successor.</summary>
    private static async Task<Outcome> RedundantLookupAsync(CaseContext c)
    {
        var alice = await StorageSteps.PartyAsync(c, "alice");
        var aor = StorageSteps.AorOf(alice.Identity);
        Opaque resource = SipUsage.ResourceIdOf(aor);
        var dropper = new FetchDropper(resource);
        // alice's AOR is the same in a rerun: M and S move into the attempt's own stretch past it (RoutingSteps.NearSut).
        var m = await c.JoinPeerAsync("m", NearAnchor(c, resource, 1000), behaviour: dropper);
        var s = await c.JoinPeerAsync("s", NearAnchor(c, resource, 2000));
        // M replicates to the successors it has when the Store comes (§10.4): on a loaded machine its
        // table can lag S's join, so wait (with a deadline) until S is M's successor.
        for (var deadline = DateTime.UtcNow + c.Timeouts.Answer * 3;
             !m.Peer.Peer.Snapshot().Successors.Contains(s.Identity.NodeId) && DateTime.UtcNow < deadline; )
            await Task.Delay(50);
        if (!m.Peer.Peer.Snapshot().Successors.Contains(s.Identity.NodeId))
            return Outcome.Inconclusive($"S is not among M's successors after its join (precondition): {m.Peer.Peer.Snapshot()}");
        if (!await RoutedToAsync(c, resource, m.Identity.NodeId)) return Outcome.Inconclusive($"the SUT does not route {Hex(resource)} to M (precondition)");
        var (original, why) = await StorageSteps.RegisterAsync(c, alice, "sip:alice@192.0.2.1");
        if (original is null) return Outcome.Inconclusive(why);
        // Precondition: the replica is on S (asked through the SUT by Node-ID) soon after the Store;
        // replication is M's own Store to S (§10.4), which a loaded machine can delay.
        var probe = await c.ConnectAsync();
        bool replicated = false;
        for (var deadline = DateTime.UtcNow + c.Timeouts.Answer * 5; !replicated && DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            var reply = await probe.RequestAsync(c.Request(SipUsage.Lookup(aor), destination: new NodeDestination(s.Identity.NodeId)), c.Timeouts.Answer);
            replicated = reply.Message?.Body is FetchAns held && held.KindResponses.SelectMany(k => k.Values).Any(v => v.Equals(original));
        }
        if (!replicated) return Outcome.Inconclusive("S, M's successor, does not hold the replica of alice's registration (§10.4 precondition)");
        dropper.Armed = true;
        var result = await ((ISutDriver)c.Sut).LookupAsync(SipUsage.Lookup(aor));
        c.Evidence.Note($"the SUT's lookup: {result}; M dropped {dropper.Dropped} Fetch(es)");
        if (dropper.Dropped == 0) return Outcome.Inconclusive($"the SUT's lookup never reached M ({result})");
        var values = result.Answer?.KindResponses.Where(k => k.Kind == KindRegistry.SipRegistration).SelectMany(k => k.Values).ToList() ?? [];
        if (values.Any(v => v.Equals(original)))
            return Outcome.Pass($"M dropped {dropper.Dropped} Fetch(es); the SUT's lookup still returned alice's registration ({result})");
        return result.Answer is null
            ? Outcome.Fail($"M dropped {dropper.Dropped} Fetch(es) and the SUT's lookup found nothing, although S holds a replica: no parallel search of the replicas (§13.6.6; {result})")
            : Outcome.Fail($"the SUT's lookup returned {values.Count} value(s), not alice's registration ({result})");
    }

    /// <summary>A responsible peer that drops every Fetch of one Resource-ID delivered to it, once armed (the store before it goes through).</summary>
    private sealed class FetchDropper(Opaque resource) : IPeerBehaviour
    {
        private int _dropped;
        public volatile bool Armed;
        public int Dropped => Volatile.Read(ref _dropped);

        public void OnRequest(ReferencePeer peer, Peer.Transport.IncomingRequest request, Action<Peer.Transport.IncomingRequest> honest)
        {
            if (Armed && request.Body is FetchReq fetch && fetch.Resource == resource)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }
            honest(request);
        }
    }

    /// <summary>TR-3: the SUT, attaching to a Node-ID it learned from an Update, meets an impostor at the candidate address.</summary>
    private static IEnumerable<ConformanceCase> ImpostorCases()
    {
        (string Id, string Title, string Who, string[] Detects, Func<CaseContext, Opaque, Identity> Make)[] impostors =
        [
            ("TR-3-01", "The SUT aborts a link to a node that presents another Node-ID's certificate", "a valid certificate of the overlay for another Node-ID", [DefenceSwitches.AttachBeforeUpdate],
                (c, f) => c.Lab.Issue($"impostor.{c.Case.Id.ToLowerInvariant()}")),
            ("TR-3-02", "The SUT aborts a link to a node whose certificate is from another CA", "a certificate for the expected Node-ID from another CA",
                // With certificate-validation off the reference still drops the link to L (its Attach has
                // moved on by then), so this case does not claim to detect that defence; with
                // attach-before-update off, F enters the tables from the Update alone.
                [DefenceSwitches.AttachBeforeUpdate],
                (c, f) => c.Lab.IssueForeign($"impostor.{c.Case.Id.ToLowerInvariant()}", nodeId: f.Span.ToArray())),
        ];
        foreach (var i in impostors)
        {
            yield return new ConformanceCase
            {
                Id = i.Id,
                Title = i.Title,
                Threats = ["TR-3", "TR-1b"],
                Rfc = ["13.3", "6.5.1", "10.7.3"],
                Detects = i.Detects,
                Needs = [PcCases.PingAnswered],
                Transports = [SutTransport.Tls],
                Setup = "neighbour A with its own link to the SUT; F, a Node-ID next to the SUT with an enrolled identity; a harness TLS listener L in the path",
                Stimulus = $"A's Update names F; when the SUT sends its Attach for F through A, A answers as F (signed by F) with L as the candidate; L presents {i.Who}",
                Oracle = "the SUT aborts the TLS handshake with L and F does not enter its tables",
                Run = c => ImpostorAsync(c, i.Make, i.Who),
            };
        }
    }

    private static async Task<Outcome> ImpostorAsync(CaseContext c, Func<CaseContext, Opaque, Identity> make, string who)
    {
        var a = await NeighbourAsync(c, "neighbour", 1);
        // A fresh Node-ID each time (the lab's sequence), so a rerun does not meet what the SUT remembers of the first.
        Opaque f = c.Lab.NewNodeId();
        var fIdentity = c.Lab.Issue($"f.{c.Case.Id.ToLowerInvariant()}", f.Span.ToArray());
        var impostor = make(c, f);
        await using var listener = new TlsLinkListener(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0), new LinkSecurity(impostor, CertificationLabValidator(c)));
        int before = a.Link.RequestsFromSutCount;
        await a.Link.RequestAsync(c.Request(new UpdateReq(new Messages.Chord.NeighborsUpdate(1, [], [f])), a.Identity), c.Timeouts.Answer);
        // The Attach for F: the SUT may route other Attaches it still retransmits (to earlier parties) through A.
        var attach = await a.Link.RequestFromSutAsync(m => m.Body is AttachReq && m.Header.DestinationList.Any(d => d is NodeDestination { NodeId: var to } && to == f),
            c.Timeouts.Answer * 2, before);
        if (attach is null) return Outcome.Inconclusive("the SUT sent no Attach for the Node-ID the Update named (the stimulus needs attach-before-update behaviour)");
        var candidate = IceCandidate.Host(IpAddressPort.From(listener.LocalEndpoint), OverlayLinkType.TlsTcpFhNoIce, Opaque.Utf8("1"), 1);
        var answer = new ReloadMessage(new ForwardingHeader
        {
            Overlay = c.OverlayHash,
            ConfigurationSequence = c.ConfigurationSequence,
            Ttl = (byte)Math.Min(255, c.Lab.Configuration.InitialTtl),
            TransactionId = attach.Header.TransactionId,
            DestinationList = [new NodeDestination(c.SutNodeId)],
            ViaList = [new NodeDestination(f)],
        }, new AttachAns(Opaque.Utf8("ufrag"), Opaque.Utf8("password-of-f"), Opaque.Utf8("active"), [candidate], false));
        await a.Link.SendAsync(MessageSigner.Sign(answer, fIdentity));
        using var wait = new CancellationTokenSource(c.Timeouts.Answer * 2);
        StreamLink accepted;
        try
        {
            accepted = await listener.AcceptAsync(wait.Token);
        }
        catch (LinkRefusedException e)
        {
            return await NotInTablesAsync(c, a, f, $"the SUT aborted the handshake with L ({who}): {e.Message}");
        }
        catch (OperationCanceledException)
        {
            return Outcome.Inconclusive("the SUT never connected to the candidate address in the AttachAns");
        }
        // The server's side of a TLS 1.3 handshake can finish before the client has checked the server's
        // certificate; what counts is whether the SUT keeps the link and takes F into its tables.
        await using (accepted)
        {
            accepted.Start();
            using var linger = new CancellationTokenSource(c.Timeouts.Answer);
            try
            {
                while (await accepted.ReceiveAsync(linger.Token) is not null) { }
                return await NotInTablesAsync(c, a, f, $"the SUT closed the link to L ({who}) right after the handshake");
            }
            catch (OperationCanceledException)
            {
                return Outcome.Fail($"the SUT kept a TLS link to L, which presented {who}, open for {c.Timeouts.Answer.TotalSeconds:0} s while attaching to {Hex(f)}");
            }
        }
    }

    private static async Task<Outcome> NotInTablesAsync(CaseContext c, Party asker, Opaque f, string refused)
    {
        var tables = await TablesAsync(c, asker);
        if (tables is null) return Outcome.Inconclusive($"{refused}; but the SUT's tables could not be read back");
        return tables.Contains(f) ? Outcome.Fail($"{refused}, yet {Hex(f)} is in the SUT's tables") : Outcome.Pass($"{refused}; {Hex(f)} is not in its tables");
    }

    /// <summary>The harness's side of the impostor's link checks nothing the SUT shows: it only has to present its certificate.</summary>
    private static CertificateValidator CertificationLabValidator(CaseContext c) => new([c.Lab.Ca.Root], c.Lab.OverlayName) { Permissive = true };

    private static async Task<Outcome> ForgedAnswerAsync(CaseContext c, bool forgedValue)
    {
        // R: a Resource-ID opposite the SUT; M just after it is responsible for it; X far past M answers instead.
        Opaque resource = Opposite(c);
        var x = c.Lab.Issue($"x.{c.Case.Id.ToLowerInvariant()}", Add(resource, 1L << 62));
        int forged = 0;
        var m = await c.JoinPeerAsync("m", Add(resource, 1000), handler: info => new LinkHandler(async (message, ctx) =>
        {
            if (message.Direction == LinkDirection.Inbound && ReloadCodec.DecodeCopy(message.Bytes.Span) is { IsSuccess: true } d
                && d.Value!.Body is FetchReq fetch && fetch.Resource == resource)
            {
                Interlocked.Increment(ref forged);
                var body = forgedValue
                    ? new FetchAns([new FetchKindResponse(KindRegistry.SipRegistration, 1, [ForgedRegistration(x, resource)])])
                    : new FetchAns([new FetchKindResponse(KindRegistry.SipRegistration, 0, [])]);
                var answer = new ReloadMessage(new ForwardingHeader
                {
                    Overlay = d.Value.Header.Overlay,
                    ConfigurationSequence = d.Value.Header.ConfigurationSequence,
                    Ttl = (byte)Math.Min(255, c.Lab.Configuration.InitialTtl),
                    TransactionId = d.Value.Header.TransactionId,
                    DestinationList = [new NodeDestination(c.SutNodeId)],
                }, body);
                await ctx.InjectAsync(LinkMessage.Outbound(ReloadCodec.Encode(MessageSigner.Sign(answer, x))));
                return; // the request itself goes no further: M never answers honestly
            }
            await ctx.ForwardAsync(message);
        }));
        if (!await RoutedToAsync(c, resource, m.Identity.NodeId)) return Outcome.Inconclusive($"the SUT does not route {Hex(resource)} to M (precondition)");
        var outcome = await ((ISutDriver)c.Sut).RequestAsync(new ResourceDestination(resource), Lookup(resource));
        if (forged == 0) return Outcome.Inconclusive($"the SUT's Fetch never reached M ({outcome})");
        if (outcome.Body is FetchAns) return Outcome.Fail($"the SUT accepted the answer X ({Hex(x.NodeId)}) forged {forged} time(s) in place of the responsible M: {outcome}");
        return outcome.ErrorCode == ErrorCodes.RequestTimeout
            ? Outcome.Pass($"the SUT discarded X's {forged} forged answer(s) and its Fetch ended in Error_Request_Timeout")
            : Outcome.Lenient($"the SUT did not take X's forged answer; its Fetch ended in {outcome}");
    }

    private static StoredData ForgedRegistration(Identity x, Opaque resource) =>
        MessageSigner.SignStoredData(x, resource, KindRegistry.SipRegistration,
            new StoredData((ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 3600, SipRegistrationUri.Of("sip:attacker@192.0.2.66").ToEntry(x.NodeId), null));

    /// <summary>M, responsible for a Resource-ID opposite the SUT, dropping the first <paramref name="count"/> copies of each Fetch for it.</summary>
    private static async Task<(HarnessPeer M, Opaque Resource, Func<int> Drops)> DropperAsync(CaseContext c, int count)
    {
        Opaque resource = Opposite(c);
        int dropped = 0;
        var m = await c.JoinPeerAsync("m", Add(resource, 1000), handler: info => new LinkHandler(async (message, ctx) =>
        {
            if (message.Direction == LinkDirection.Inbound && ReloadCodec.DecodeCopy(message.Bytes.Span) is { IsSuccess: true } d
                && d.Value!.Body is FetchReq fetch && fetch.Resource == resource && Volatile.Read(ref dropped) < count)
            {
                Interlocked.Increment(ref dropped);
                return;
            }
            await ctx.ForwardAsync(message);
        }));
        if (!await RoutedToAsync(c, resource, m.Identity.NodeId)) throw new ProbeConnectException(ProbeConnectFailure.Timeout, $"the SUT does not route {Hex(resource)} to M (precondition)");
        return (m, resource, () => Volatile.Read(ref dropped));
    }

    /// <summary>
    /// Waits until the SUT, asked from outside by RouteQuery (§10.4), routes <paramref name="resource"/>
    /// to <paramref name="node"/>: a just-joined peer takes a moment to enter its Neighbor Table.
    /// </summary>
    private static async Task<bool> RoutedToAsync(CaseContext c, Opaque resource, Opaque node)
    {
        var link = await c.ConnectAsync(party: "route-check");
        var deadline = DateTime.UtcNow + c.Timeouts.Connect * 2;
        while (DateTime.UtcNow < deadline)
        {
            var reply = await link.RequestAsync(c.Request(new RouteQueryReq(false, new ResourceDestination(resource))), c.Timeouts.Answer);
            if (reply.Message?.Body is RouteQueryAns { Answer.NextPeer: var next } && next == node) return true;
            await Task.Delay(100);
        }
        return false;
    }

    private static FetchReq Lookup(Opaque resource) =>
        new(resource, [new StoredDataSpecifier(KindRegistry.SipRegistration, 0, new DictionarySpecifier([]))]);

    /// <summary>
    /// The point of the ring opposite the SUT (SUT + 2^127), moved into this case's own stretch
    /// (<see cref="RoutingSteps.NearSut"/>): a harness peer joined there never has the Node-ID of an earlier case's.
    /// </summary>
    private static byte[] Opposite(CaseContext c)
    {
        var id = new System.Numerics.BigInteger(c.SutNodeId.Span, isUnsigned: true, isBigEndian: true);
        var modulus = System.Numerics.BigInteger.One << 128;
        var bytes = ((id + Half) % modulus).ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[16];
        bytes.CopyTo(result, 16 - bytes.Length);
        return NearAnchor(c, result, 0);
    }

    private static Outcome SignedBy(ProbeReply reply, Identity expected, string what)
    {
        if (reply.Kind != ProbeReplyKind.Answer) return Outcome.Fail($"{what}: no answer through the SUT ({reply})");
        var signer = reply.Message!.Security.Signature.Identity;
        return signer.Equals(MessageSigner.IdentityFor(expected))
            ? Outcome.Pass($"{what}: answered by {expected.UserName} ({reply})")
            : Outcome.Fail($"{what}: answered ({reply}) by another signer than {expected.UserName}: the SUT did not route it to the node it is for");
    }

    // The harness's own peers join over TLS or DTLS: every forwarding case's links are bound (a ring over plaintext links is not supported).
    private static ConformanceCase Case(string id, string title, string[] threats, string[] rfc, string[] detects, bool driver,
        string setup, string stimulus, string oracle, Func<CaseContext, Task<Outcome>> run) =>
        SuiteCase.AfterPing(id, title, threats, rfc, CaseSetup.Bound(setup), stimulus, oracle, run, detects, needsDriver: driver);
}
