using P2psip.Conformance.Probe;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Storage;
using P2psip.Messages.Topology;
using P2psip.Peer;
using P2psip.Wire;

namespace P2psip.Conformance.Catalogue;

/// <summary>
/// Protocol conformance (THREATS.md "Protocol conformance beyond the threats", PC-1 … PC-10): what
/// every threat case depends on. They run first; PC-10-01 (a Ping is answered) is the precondition
/// of nearly every other case.
/// </summary>
internal static class PcCases
{
    public const string PingAnswered = "PC-10-01";

    private const string Direct = "one harness probe (an enrolled client of the lab's overlay) with its own link to the SUT";

    public static IEnumerable<ConformanceCase> All()
    {
        yield return new ConformanceCase
        {
            Id = PingAnswered,
            Title = "A Ping to the SUT is answered with a PingAns",
            Threats = ["PC-10", "PC-4"],
            Rfc = ["6.5.3"],
            Setup = Direct,
            Stimulus = "a signed PingReq addressed to the SUT's Node-ID",
            Oracle = "a PingAns with the request's transaction id comes back",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var reply = await link.RequestAsync(c.Request(new PingReq(Opaque.Empty)), c.Timeouts.Answer);
                return Judge.AnsweredWith<PingAns>(reply, "Ping");
            },
        };
        foreach (var bad in HeaderDefects()) yield return bad;
        yield return new ConformanceCase
        {
            Id = "PC-2-01",
            Title = "A TTL above initial-ttl is refused",
            Threats = ["PC-2"],
            Rfc = ["6.3.2"],
            Detects = [DefenceSwitches.Ttl],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "a Ping whose TTL is initial-ttl + 1",
            Oracle = "refused with Error_TTL_Exceeded, not answered with a PingAns",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                int ttl = Math.Min(255, c.Lab.Configuration.InitialTtl + 1);
                var reply = await link.RequestAsync(c.Request(new PingReq(Opaque.Empty), header: h => h with { Ttl = (byte)ttl }), c.Timeouts.Answer);
                return Judge.RefusedWith(reply, ErrorCodes.TtlExceeded, $"Ping with TTL {ttl} > initial-ttl {c.Lab.Configuration.InitialTtl}");
            },
        };
        yield return new ConformanceCase
        {
            Id = "PC-4-01",
            Title = "An error response echoes the request's transaction id",
            Threats = ["PC-4", "PC-6"],
            Rfc = ["6.3.2", "6.3.3.1"],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "a Fetch of a Kind the overlay does not define, with a random transaction id",
            Oracle = "the error that comes back carries exactly that transaction id",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var request = c.Request(new FetchReq(c.Lab.NewNodeId(), [new StoredDataSpecifier(0xfade, 0, new SingleValueSpecifier())]),
                    destination: new ResourceDestination(c.Lab.NewNodeId()));
                var reply = await link.RequestAsync(request, c.Timeouts.Answer);
                return reply.Kind switch
                {
                    ProbeReplyKind.Answer => Outcome.Pass($"answered {reply} with transaction id {request.Header.TransactionId:x16}"),
                    ProbeReplyKind.WrongTransactionId => Outcome.Fail(reply.Detail),
                    _ => Outcome.Inconclusive($"no answer to compare: {reply}"),
                };
            },
        };
        yield return new ConformanceCase
        {
            Id = "PC-5-01",
            Title = "The SUT acknowledges every DATA frame it receives",
            Threats = ["PC-5"],
            Rfc = ["6.6.2", "6.6.3.1"],
            Needs = [PingAnswered],
            Transports = [SutTransport.Tls, SutTransport.InsecureTcp, SutTransport.Dtls],
            Setup = Direct,
            Stimulus = "five Pings, each in its own DATA frame",
            Oracle = "at least one ACK frame per DATA frame comes back (§6.6.3.1: every DATA frame is acknowledged)",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                for (int i = 0; i < 5; i++)
                    await link.RequestAsync(c.Request(new PingReq(Opaque.Empty)), c.Timeouts.Answer);
                var deadline = DateTime.UtcNow + c.Timeouts.Answer;
                long acks = 0;
                while (DateTime.UtcNow < deadline && (acks = AcksOf(link)) < 5) await Task.Delay(20);
                return acks >= 5
                    ? Outcome.Pass($"{acks} ACK frames for 5 DATA frames")
                    : acks < 0 ? Outcome.Inconclusive("this link type does not count ACK frames")
                    : Outcome.Fail($"only {acks} ACK frames for 5 DATA frames");
            },
        };
        yield return new ConformanceCase
        {
            Id = "PC-6-01",
            Title = "A request whose body does not parse gets Error_Invalid_Message",
            Threats = ["PC-6"],
            Rfc = ["6.3.3.1", "6.3.3"],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "a signed Ping whose message body length says one byte more than it holds",
            Oracle = "Error_Invalid_Message; never a PingAns",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var ping = c.Request(new PingReq((Opaque)(byte[])[1, 2, 3, 4]));
                var bytes = ReloadCodec.Encode(ping, new WireEdits().Set("message_contents.message_body.ping_req.padding.length", 5));
                var reply = await link.RequestRawAsync(bytes, ping.Header.TransactionId, c.Timeouts.Answer);
                return Judge.RefusedWith(reply, ErrorCodes.InvalidMessage, "Ping with a malformed body");
            },
        };
        yield return new ConformanceCase
        {
            Id = "PC-6-02",
            Title = "A Fetch of an unknown Kind gets Error_Unknown_Kind",
            Threats = ["PC-6", "TR-4a"],
            Rfc = ["7.4.2.1", "6.3.3.1"],
            Detects = [DefenceSwitches.KindCheck],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "a Fetch at a Resource-ID the SUT is responsible for, of Kind 0xfade the configuration does not define",
            Oracle = "Error_Unknown_Kind (or a FetchAns without that Kind), never a value",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var resource = c.Lab.NewNodeId();
                var reply = await link.RequestAsync(c.Request(new FetchReq(resource, [new StoredDataSpecifier(0xfade, 0, new SingleValueSpecifier())]),
                    destination: new ResourceDestination(resource)), c.Timeouts.Answer);
                return Judge.RefusedWith(reply, ErrorCodes.UnknownKind, "Fetch of Kind 0xfade");
            },
        };
        foreach (var option in OptionCases()) yield return option;
        yield return new ConformanceCase
        {
            Id = "PC-8-01",
            Title = "A message larger than max-message-size gets Error_Message_Too_Large",
            Threats = ["PC-8", "TR-5"],
            Rfc = ["6.3.2", "11.1"],
            Detects = [DefenceSwitches.Quotas],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "a signed Ping padded to max-message-size + 100 bytes",
            Oracle = "Error_Message_Too_Large (or the link closed); never a PingAns",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                int size = (int)c.Lab.Configuration.MaxMessageSize + 100;
                var reply = await link.RequestAsync(c.Request(new PingReq((Opaque)new byte[size])), c.Timeouts.Answer);
                return Judge.RefusedWith(reply, ErrorCodes.MessageTooLarge, $"a {size}-byte padded Ping (max-message-size {c.Lab.Configuration.MaxMessageSize})");
            },
        };
        yield return new ConformanceCase
        {
            Id = "PC-8-02",
            Title = "An answer longer than max_response_length is replaced by Error_Response_Too_Large",
            Threats = ["PC-8"],
            Rfc = ["6.3.2"],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "a Probe request asking for every information type with max_response_length 20, less than any answer",
            Oracle = "Error_Response_Too_Large instead of the ProbeAns",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var reply = await link.RequestAsync(c.Request(new ProbeReq([1, 2, 3]), header: h => h with { MaxResponseLength = 20 }), c.Timeouts.Answer);
                return reply.Kind == ProbeReplyKind.Answer && reply.Message!.Body is ProbeAns
                    ? Outcome.Fail($"answered with a ProbeAns of {reply.Bytes?.Length} bytes despite max_response_length 20")
                    : Judge.RefusedWith(reply, ErrorCodes.ResponseTooLarge, "Probe with max_response_length 20");
            },
        };
        foreach (var config in ConfigurationCases()) yield return config;
        foreach (var method in MethodCases()) yield return method;
    }

    /// <summary>PC-1: each forwarding-header defect of §6.3.2, written on purpose with the codec's edits.</summary>
    private static IEnumerable<ConformanceCase> HeaderDefects()
    {
        (string Id, string Title, string Stimulus, Func<CaseContext, ReloadMessage, byte[]> Write)[] defects =
        [
            ("PC-1-01", "A wrong relo_token is not answered as valid", "a signed Ping whose relo_token is 0xd2454c4e",
                (c, m) => ReloadCodec.Encode(m, new WireEdits().Set("forwarding_header.relo_token", 0xd2454c4e))),
            ("PC-1-02", "A wrong version is not answered as valid", "a signed Ping whose version is 0x01 (the draft's 0.1)",
                (c, m) => ReloadCodec.Encode(m, new WireEdits().Set("forwarding_header.version", 0x01))),
            ("PC-1-03", "A forwarding-header length that disagrees with the message is not answered as valid", "a signed Ping whose length field is 7 bytes more than its size",
                (c, m) => { var plain = ReloadCodec.Encode(m); return ReloadCodec.Encode(m, new WireEdits().Set("forwarding_header.length", (ulong)plain.Length + 7)); }),
            ("PC-1-04", "A message for another overlay is not answered as valid", "a Ping signed for this overlay but whose overlay hash is another overlay's",
                (c, m) => ReloadCodec.Encode(m, new WireEdits().Set("forwarding_header.overlay", c.OverlayHash ^ 0x5a5a_5a5a))),
            ("PC-1-05", "A fragment field with the high bit clear is not answered as valid", "a signed Ping whose fragment field is 0x40000000 (high bit clear)",
                (c, m) => ReloadCodec.Encode(m, new WireEdits().Set("forwarding_header.fragment", 0x4000_0000))),
        ];
        foreach (var d in defects)
        {
            yield return new ConformanceCase
            {
                Id = d.Id,
                Title = d.Title,
                Threats = ["PC-1"],
                Rfc = ["6.3.2"],
                Needs = [PingAnswered],
                Setup = Direct,
                Stimulus = d.Stimulus,
                Oracle = "dropped or refused (an error response, or the link closed); never a PingAns",
                Run = async c =>
                {
                    var link = await c.ConnectAsync();
                    var ping = c.Request(new PingReq(Opaque.Empty));
                    var reply = await link.RequestExpectingSilenceAsync(d.Write(c, ping), ping.Header.TransactionId, c.Request(new PingReq(Opaque.Empty)), c.Timeouts.Answer);
                    return Judge.DroppedOrRefused(reply, d.Stimulus);
                },
            };
        }
    }

    /// <summary>PC-7: unknown forwarding options and extensions (§6.3.2.3, §6.3.3).</summary>
    private static IEnumerable<ConformanceCase> OptionCases()
    {
        yield return new ConformanceCase
        {
            Id = "PC-7-01",
            Title = "An unknown DESTINATION_CRITICAL forwarding option is refused",
            Threats = ["PC-7"],
            Rfc = ["6.3.2.3"],
            Detects = [DefenceSwitches.CriticalOptions],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "a Ping carrying forwarding option type 0xee with the DESTINATION_CRITICAL flag",
            Oracle = "Error_Unsupported_Forwarding_Option, never a PingAns",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var reply = await link.RequestAsync(c.Request(new PingReq(Opaque.Empty),
                    header: h => h with { Options = [new ForwardingOption(0xee, 0x02, (Opaque)(byte[])[1, 2])] }), c.Timeouts.Answer);
                return Judge.RefusedWith(reply, ErrorCodes.UnsupportedForwardingOption, "Ping with a DESTINATION_CRITICAL unknown option");
            },
        };
        yield return new ConformanceCase
        {
            Id = "PC-7-02",
            Title = "An unknown non-critical forwarding option is ignored",
            Threats = ["PC-7"],
            Rfc = ["6.3.2.3"],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "a Ping carrying forwarding option type 0xee with no flags",
            Oracle = "a PingAns, as if the option were absent",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var reply = await link.RequestAsync(c.Request(new PingReq(Opaque.Empty),
                    header: h => h with { Options = [new ForwardingOption(0xee, 0x00, (Opaque)(byte[])[1, 2])] }), c.Timeouts.Answer);
                return Judge.AnsweredWith<PingAns>(reply, "Ping with a non-critical unknown option");
            },
        };
        yield return new ConformanceCase
        {
            Id = "PC-7-03",
            Title = "An unknown critical message extension is refused",
            Threats = ["PC-7"],
            Rfc = ["6.3.3"],
            Detects = [DefenceSwitches.CriticalOptions],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "a signed Ping carrying message extension type 0xbeef marked critical",
            Oracle = "Error_Unknown_Extension, never a PingAns",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var reply = await link.RequestAsync(WithExtension(c, critical: true), c.Timeouts.Answer);
                return Judge.RefusedWith(reply, ErrorCodes.UnknownExtension, "Ping with a critical unknown extension");
            },
        };
        yield return new ConformanceCase
        {
            Id = "PC-7-04",
            Title = "An unknown non-critical message extension is ignored",
            Threats = ["PC-7"],
            Rfc = ["6.3.3"],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "a signed Ping carrying message extension type 0xbeef, not critical",
            Oracle = "a PingAns",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var reply = await link.RequestAsync(WithExtension(c, critical: false), c.Timeouts.Answer);
                return Judge.AnsweredWith<PingAns>(reply, "Ping with a non-critical unknown extension");
            },
        };
    }

    private static ReloadMessage WithExtension(CaseContext c, bool critical)
    {
        var unsigned = c.Request(new PingReq(Opaque.Empty), sign: false);
        var extended = unsigned with { Contents = unsigned.Contents with { Extensions = [new MessageExtension(0xbeef, critical, (Opaque)(byte[])[0xca, 0xfe])] } };
        return Security.MessageSigner.Sign(extended, c.Lab.Probe);
    }

    /// <summary>PC-9: the configuration sequence (§6.3.2.1).</summary>
    private static IEnumerable<ConformanceCase> ConfigurationCases()
    {
        yield return new ConformanceCase
        {
            Id = "PC-9-01",
            Title = "A request with an older configuration sequence gets Error_Config_Too_Old and a ConfigUpdate",
            Threats = ["PC-9"],
            Rfc = ["6.3.2.1", "6.5.4"],
            Detects = [DefenceSwitches.ConfigSequence],
            Needs = [PingAnswered],
            // The ConfigUpdate goes to the requester's Node-ID over the link bound to it; plaintext links bind none.
            Transports = [SutTransport.Tls, SutTransport.Dtls],
            Setup = Direct,
            Stimulus = "a Ping whose configuration_sequence is one less than the overlay's",
            Oracle = "Error_Config_Too_Old, and the SUT sends the requester a ConfigUpdate (§6.3.2.1: MUST)",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var older = (ushort)(c.ConfigurationSequence - 1);
                var reply = await link.RequestAsync(c.Request(new PingReq(Opaque.Empty), header: h => h with { ConfigurationSequence = older }), c.Timeouts.Answer);
                var refusal = Judge.RefusedWith(reply, ErrorCodes.ConfigTooOld, $"Ping with configuration sequence {older} (the overlay's is {c.ConfigurationSequence})");
                if (refusal.Verdict is not (Verdict.Pass or Verdict.PassLenient)) return refusal;
                var update = await link.RequestFromSutAsync(m => m.MessageCode == MessageCodes.ConfigUpdateReq, c.Timeouts.Answer);
                return update is null
                    ? Outcome.Fail($"{refusal.Reason}, but no ConfigUpdate came within {c.Timeouts.Answer.TotalSeconds:0} s (§6.3.2.1: the node MUST generate a ConfigUpdate)")
                    : refusal with { Reason = refusal.Reason + "; a ConfigUpdate followed" };
            },
        };
        yield return new ConformanceCase
        {
            Id = "PC-9-02",
            Title = "A request with a newer configuration sequence gets Error_Config_Too_New",
            Threats = ["PC-9"],
            Rfc = ["6.3.2.1"],
            Detects = [DefenceSwitches.ConfigSequence],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "a Ping whose configuration_sequence is one more than the overlay's",
            Oracle = "Error_Config_Too_New, never a PingAns",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var newer = (ushort)(c.ConfigurationSequence + 1);
                var reply = await link.RequestAsync(c.Request(new PingReq(Opaque.Empty), header: h => h with { ConfigurationSequence = newer }), c.Timeouts.Answer);
                return Judge.RefusedWith(reply, ErrorCodes.ConfigTooNew, $"Ping with configuration sequence {newer}");
            },
        };
    }

    /// <summary>PC-10: the methods a peer answers (§6.4, §6.5, §10).</summary>
    private static IEnumerable<ConformanceCase> MethodCases()
    {
        yield return new ConformanceCase
        {
            Id = "PC-10-02",
            Title = "A Probe is answered with the information asked for",
            Threats = ["PC-10"],
            Rfc = ["6.4.2", "10.9"],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "a Probe asking for responsible_set, num_resources and uptime",
            Oracle = "a ProbeAns holding each of the three",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var reply = await link.RequestAsync(c.Request(new ProbeReq([1, 2, 3])), c.Timeouts.Answer);
                if (reply.Message?.Body is not ProbeAns answer) return Judge.AnsweredWith<ProbeAns>(reply, "Probe");
                var types = answer.ProbeInfo.Select(i => i.GetType().Name).ToList();
                return answer.ProbeInfo.Count >= 3
                    ? Outcome.Pass($"ProbeAns with {string.Join(", ", types)}")
                    : Outcome.Fail($"ProbeAns holds only {string.Join(", ", types)}");
            },
        };
        yield return new ConformanceCase
        {
            Id = "PC-10-03",
            Title = "A RouteQuery for the SUT's own Node-ID is answered",
            Threats = ["PC-10"],
            Rfc = ["6.4.2.4", "10.4"],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "a RouteQuery (send_update false) with the SUT itself as the destination it should route to",
            Oracle = "a RouteQueryAns",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var reply = await link.RequestAsync(c.Request(new RouteQueryReq(false, new NodeDestination(c.SutNodeId))), c.Timeouts.Answer);
                return Judge.AnsweredWith<RouteQueryAns>(reply, "RouteQuery");
            },
        };
        yield return new ConformanceCase
        {
            Id = "PC-10-04",
            Title = "A RouteQuery with send_update makes the SUT send its tables in an Update",
            Threats = ["PC-10", "UN-4"],
            Rfc = ["10.4", "10.7.1"],
            Needs = [PingAnswered],
            // The Update goes to the requester's Node-ID over the link bound to it; a plaintext link binds none (§6.6).
            Transports = [SutTransport.Tls, SutTransport.Dtls],
            Setup = Direct,
            Stimulus = "a RouteQuery with send_update true",
            Oracle = "a RouteQueryAns, then an Update request from the SUT on the probe's link",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var reply = await link.RequestAsync(c.Request(new RouteQueryReq(true, new NodeDestination(c.SutNodeId))), c.Timeouts.Answer);
                if (!Judge.Is<RouteQueryAns>(reply)) return Judge.AnsweredWith<RouteQueryAns>(reply, "RouteQuery");
                var update = await link.RequestFromSutAsync(m => m.Body is UpdateReq, c.Timeouts.Answer * 2);
                return update is null
                    ? Outcome.Fail("RouteQueryAns, but no Update followed (§10.4: send_update asks the peer to send an Update)")
                    : Outcome.Pass($"RouteQueryAns, then an Update ({((UpdateReq)update.Body).Update.GetType().Name})");
            },
        };
        yield return new ConformanceCase
        {
            Id = "PC-10-05",
            Title = "An Attach is answered with the SUT's candidates",
            Threats = ["PC-10"],
            Rfc = ["6.5.1", "6.5.1.2"],
            Needs = [PingAnswered],
            Setup = Direct,
            Stimulus = "an AttachReq (NO-ICE, role passive) to the SUT with one host candidate",
            Oracle = "an AttachAns with at least one candidate and role active (§6.5.1.1: 'active' for the answerer)",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var reply = await link.RequestAsync(c.Request(Attach(c, "passive")), c.Timeouts.Answer);
                if (reply.Message?.Body is not AttachAns answer) return Judge.AnsweredWith<AttachAns>(reply, "Attach");
                var role = System.Text.Encoding.ASCII.GetString(answer.Role.Span);
                if (answer.Candidates.Count == 0) return Outcome.Fail("AttachAns without candidates");
                return role == "active"
                    ? Outcome.Pass($"AttachAns with {answer.Candidates.Count} candidate(s), role active")
                    : Outcome.Fail($"AttachAns with role '{role}'; §6.5.1.1 says the answerer's role MUST be 'active'");
            },
        };
    }

    /// <summary>An AttachReq as an offerer writes it (§6.5.1.1: the offerer's role is passive).</summary>
    public static AttachReq Attach(CaseContext c, string role) => new(
        Opaque.Utf8("ufrag" + c.Random.Next(1000, 9999)), Opaque.Utf8("password" + c.Random.Next(100000, 999999)), Opaque.Utf8(role),
        [IceCandidate.Host(IpAddressPort.From(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9)), OverlayLinkType.TlsTcpFhNoIce,
            Opaque.Utf8("1"), 1)], false);

    private static long AcksOf(ProbeLink link) => link.Link switch
    {
        Links.StreamLink s => s.AcksReceived,
        _ => -1,
    };
}
