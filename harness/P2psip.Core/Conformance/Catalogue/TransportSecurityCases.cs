using System.Buffers.Binary;
using P2psip.Conformance.Probe;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Security;
using P2psip.Peer;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Conformance.Catalogue;

/// <summary>
/// Who may speak on the SUT's links and as whom: TR-1a (privacy: TLS/DTLS only), TR-1b (ID hijack:
/// mutual authentication, Node-ID from the certificate), UN-1a (chosen Node-IDs), UN-1b (Sybils
/// without enrollment) and UN-2c (messages modified after signing).
/// </summary>
internal static class TransportSecurityCases
{
    private const string Mallory = "one harness party with its own link to the SUT, presenting the identity named in the stimulus";
    private static readonly SutTransport[] Secure = [SutTransport.Tls, SutTransport.Dtls];

    public static IEnumerable<ConformanceCase> All()
    {
        yield return new ConformanceCase
        {
            Id = "TR-1a-01",
            Title = "A plaintext RELOAD connection to the SUT gets no RELOAD answer",
            Threats = ["TR-1a"],
            Rfc = ["6.6", "13.6.4"],
            Detects = [DefenceSwitches.TlsOnly],
            // Self-contained: whether the link is TLS does not depend on the answers being right.
            Transports = [SutTransport.Tls, SutTransport.InsecureTcp, SutTransport.InsecureTcpUnframed],
            Setup = "a harness party that opens a plain TCP connection to the SUT's port",
            Stimulus = "a framed, signed Ping in clear (the sender names itself in the Via List)",
            Oracle = "no decodable RELOAD answer: the SUT speaks TLS only on its overlay port",
            Run = async c =>
            {
                var plain = c.Endpoint with { Transport = SutTransport.InsecureTcp };
                ProbeLink link;
                try
                {
                    link = await ProbeLink.ConnectAsync(plain, c.Lab.Validator, null, "plaintext", c.Evidence, c.Timeouts.Connect, c.Cancel);
                }
                catch (ProbeConnectException e)
                {
                    return Outcome.Pass($"a plain TCP connection was not even accepted ({e.Message})");
                }
                await using (link)
                {
                    var ping = c.Factory.Request(new PingReq(Opaque.Empty), c.Lab.Probe) is var m
                        ? m with { Header = m.Header with { ViaList = [new NodeDestination(c.Lab.Probe.NodeId)] } } : null!;
                    var signed = MessageSigner.Sign(ping, c.Lab.Probe);
                    var reply = await link.RequestAsync(signed, c.Timeouts.Answer);
                    return reply.Kind == ProbeReplyKind.Answer
                        ? Outcome.Fail($"the SUT answered RELOAD sent in clear over plain TCP ({reply}): its overlay links are not TLS-only (§6.6)")
                        : Outcome.Pass($"no RELOAD answer over plain TCP ({reply})");
                }
            },
        };
        yield return new ConformanceCase
        {
            Id = "TR-1a-02",
            Title = "What crosses the SUT's link on the wire is TLS records, with no RELOAD in clear",
            Threats = ["TR-1a"],
            Rfc = ["6.6.5", "13.6.4"],
            Detects = [DefenceSwitches.TlsOnly],
            // Self-contained: whether the link is TLS does not depend on the answers being right.
            Transports = [SutTransport.Tls, SutTransport.InsecureTcp, SutTransport.InsecureTcpUnframed],
            Setup = "the probe links to the SUT through a loopback relay that keeps the raw bytes of both directions",
            Stimulus = "a Ping and a Probe over the probe's usual link",
            Oracle = "the SUT's bytes are TLS records (content types 20–23, version 3.x) and hold neither the RELOAD token nor a framing header",
            Run = async c =>
            {
                await using var tap = new TcpWireTap(c.Endpoint.Address);
                var link = await c.ConnectViaAsync(tap.Endpoint);
                var ping = await link.RequestAsync(c.Request(new PingReq(Opaque.Empty)), c.Timeouts.Answer);
                if (!ping.IsAnswer) return Outcome.Inconclusive($"the Ping through the relay got no answer ({ping})");
                await link.RequestAsync(c.Request(new Messages.Topology.ProbeReq([1, 2, 3])), c.Timeouts.Answer);
                var wire = tap.BytesFromSut;
                if (wire.Length == 0) return Outcome.Inconclusive("the relay saw no bytes from the SUT");
                int token = IndexOf(wire, [0xd2, 0x45, 0x4c, 0x4f]);
                if (token >= 0) return Outcome.Fail($"the RELOAD token appears in clear at byte {token} of the {wire.Length} bytes the SUT sent");
                var records = TlsRecords(wire);
                return records.Ok
                    ? Outcome.Pass($"{wire.Length} bytes from the SUT: {records.Count} TLS records, no RELOAD in clear")
                    : Outcome.Fail($"the SUT's bytes are not TLS records: {records.Why}");
            },
        };
        foreach (var bad in BadIdentities()) yield return bad;
        yield return new ConformanceCase
        {
            Id = "UN-1a-01",
            Title = "A request whose origin is a Node-ID the signer's certificate does not carry is refused",
            Threats = ["UN-1a", "TR-1b"],
            Rfc = ["13.6.3", "6.3.4"],
            // The origin check is part of verifying the signature: either defence off lets it through.
            Detects = [DefenceSwitches.CertificateNodeId, DefenceSwitches.MessageSignatures],
            Needs = [PcCases.PingAnswered],
            Setup = Mallory + " (an enrolled identity of the overlay)",
            Stimulus = "a Ping signed by mallory whose Via List names a chosen Node-ID, not mallory's, as its origin",
            Oracle = "dropped or refused: a node uses only the Node-IDs in its certificate",
            Run = async c =>
            {
                var mallory = c.Lab.Issue("mallory");
                var link = await c.ConnectAsync(mallory, "mallory");
                var chosen = c.Lab.NewNodeId();
                var ping = c.Request(new PingReq(Opaque.Empty), mallory, header: h => h with { ViaList = [new NodeDestination(chosen)] });
                var reply = await link.RequestExpectingSilenceAsync(ReloadCodec.Encode(ping), ping.Header.TransactionId, c.Request(new PingReq(Opaque.Empty), mallory), c.Timeouts.Answer);
                return Judge.DroppedOrRefused(reply, $"Ping claiming origin {Convert.ToHexStringLower(chosen)}");
            },
        };
        yield return new ConformanceCase
        {
            Id = "UN-1a-02",
            Title = "A signature naming a Node-ID that is not in the signer's certificate does not verify",
            Threats = ["UN-1a", "UN-2c"],
            Rfc = ["6.3.4", "13.6.3"],
            Detects = [DefenceSwitches.MessageSignatures],
            Needs = [PcCases.PingAnswered],
            Setup = Mallory,
            Stimulus = "a Ping whose SignerIdentity is cert_hash_node_id over a chosen Node-ID and mallory's certificate, signed by mallory",
            Oracle = "dropped or refused",
            Run = async c =>
            {
                var mallory = c.Lab.Issue("mallory");
                var link = await c.ConnectAsync(mallory, "mallory");
                var unsigned = c.Request(new PingReq(Opaque.Empty), mallory, sign: false);
                var signer = new SignerIdentity(SignerIdentity.CertHashNodeId, SignatureAndHashAlgorithm.HashSha256,
                    MessageSigner.NodeIdHash(c.Lab.NewNodeId(), mallory.Certificate.Der));
                var algorithm = SignatureAlgorithms.For(mallory.PrivateKey);
                var value = SignatureAlgorithms.Sign(mallory.PrivateKey, algorithm, ReloadCodec.SignatureInput(unsigned, signer));
                var forged = unsigned with { Security = new SecurityBlock([GenericCertificate.OfX509(mallory.Certificate.Der)], new Signature(algorithm, signer, value)) };
                var reply = await link.RequestExpectingSilenceAsync(ReloadCodec.Encode(forged), forged.Header.TransactionId, c.Request(new PingReq(Opaque.Empty), mallory), c.Timeouts.Answer);
                return Judge.DroppedOrRefused(reply, "Ping signed as a chosen Node-ID");
            },
        };
        yield return new ConformanceCase
        {
            Id = "UN-2c-01",
            Title = "A request modified after it was signed is dropped",
            Threats = ["UN-2c"],
            Rfc = ["6.3.4", "13.2"],
            Detects = [DefenceSwitches.MessageSignatures],
            Needs = [PcCases.PingAnswered],
            Setup = "the probe with its own link to the SUT",
            Stimulus = "a signed Ping whose padding was changed after signing (one bit of the message contents)",
            Oracle = "dropped or refused, never a PingAns",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var ping = c.Request(new PingReq((Opaque)new byte[] { 1, 2, 3, 4 }));
                var bytes = ReloadCodec.Encode(ping, new WireEdits().Replace("message_contents.message_body.ping_req.padding.value", [1, 2, 3, 5]));
                var reply = await link.RequestExpectingSilenceAsync(bytes, ping.Header.TransactionId, c.Request(new PingReq(Opaque.Empty)), c.Timeouts.Answer);
                return Judge.DroppedOrRefused(reply, "Ping changed after signing");
            },
        };
        yield return new ConformanceCase
        {
            Id = "UN-2c-02",
            Title = "An unsigned request is dropped",
            Threats = ["UN-2c", "TR-2a"],
            Rfc = ["6.3.4"],
            Detects = [DefenceSwitches.MessageSignatures],
            Needs = [PcCases.PingAnswered],
            Setup = "the probe with its own link to the SUT",
            Stimulus = "a Ping whose signature is empty (identity type none, algorithm anonymous)",
            Oracle = "dropped or refused, never a PingAns",
            Run = async c =>
            {
                var link = await c.ConnectAsync();
                var ping = c.Request(new PingReq(Opaque.Empty), sign: false);
                var reply = await link.RequestExpectingSilenceAsync(ReloadCodec.Encode(ping), ping.Header.TransactionId, c.Request(new PingReq(Opaque.Empty)), c.Timeouts.Answer);
                return Judge.DroppedOrRefused(reply, "an unsigned Ping");
            },
        };
        yield return new ConformanceCase
        {
            Id = "UN-2c-03",
            Title = "A request whose signer identity was swapped after signing is dropped",
            Threats = ["UN-2c"],
            Rfc = ["6.3.4", "13.2"],
            Detects = [DefenceSwitches.MessageSignatures],
            Needs = [PcCases.PingAnswered],
            Setup = "the probe and a second enrolled identity, alice",
            Stimulus = "a Ping signed by the probe, whose SignerIdentity and certificate were then replaced by alice's",
            Oracle = "dropped or refused: the signature covers the signer identity",
            Run = async c =>
            {
                var alice = c.Lab.Issue("alice");
                var link = await c.ConnectAsync();
                var ping = c.Request(new PingReq(Opaque.Empty));
                var swapped = ping with
                {
                    Security = new SecurityBlock([GenericCertificate.OfX509(alice.Certificate.Der)],
                        ping.Security.Signature with { Identity = MessageSigner.IdentityFor(alice) }),
                };
                var reply = await link.RequestExpectingSilenceAsync(ReloadCodec.Encode(swapped), swapped.Header.TransactionId, c.Request(new PingReq(Opaque.Empty)), c.Timeouts.Answer);
                return Judge.DroppedOrRefused(reply, "a Ping whose signer was swapped");
            },
        };
    }

    /// <summary>TR-1b, TR-2a, UN-1b: identities the SUT must not accept on a link (§13.3).</summary>
    private static IEnumerable<ConformanceCase> BadIdentities()
    {
        (string Id, string[] Threats, string Title, string Who, string[] Detects, Func<CaseContext, Identity?> Make)[] bad =
        [
            ("TR-1b-01", ["TR-1b"], "A link without a client certificate is refused", "no client certificate at all", [],
                _ => null),
            ("TR-1b-02", ["TR-1b", "UN-1b"], "A link with a self-signed certificate is refused", "a self-signed certificate carrying a reload:// URI of this overlay",
                [DefenceSwitches.CertificateValidation], c => c.Lab.IssueSelfSigned("mallory")),
            ("TR-1b-03", ["TR-1b", "TR-3"], "A link with a certificate from another CA is refused", "a well-formed certificate of another CA",
                [DefenceSwitches.CertificateValidation], c => c.Lab.IssueForeign("mallory")),
            ("TR-1b-04", ["TR-1b"], "A link with an expired certificate is refused", "a certificate of the overlay's CA that expired two days ago",
                [DefenceSwitches.CertificateValidation], c => c.Lab.IssueExpired("mallory")),
            ("TR-2a-01", ["TR-2a", "TR-1b"], "A node without a valid certificate cannot Fetch", "a certificate of another CA; it then sends a Fetch of the canary",
                [DefenceSwitches.CertificateValidation], c => c.Lab.IssueForeign("eve")),
            ("UN-1b-01", ["UN-1b"], "A Sybil with a self-signed identity next to the SUT is refused", "a self-signed certificate whose Node-ID is the SUT's Node-ID + 1 (placed as its successor)",
                [DefenceSwitches.CertificateValidation], c => c.Lab.IssueSelfSigned("sybil", RoutingSteps.NearSut(c, 1))),
            ("UN-1b-02", ["UN-1b", "TR-3"], "A Sybil enrolled by a foreign CA with many Node-IDs is refused", "a foreign CA's certificate carrying many Node-IDs",
                [DefenceSwitches.CertificateValidation], c => c.Lab.IssueForeign("sybils", 8)),
        ];
        foreach (var b in bad)
        {
            yield return new ConformanceCase
            {
                Id = b.Id,
                Title = b.Title,
                Threats = b.Threats,
                Rfc = ["13.3", "6.6"],
                Detects = b.Detects,
                Needs = [PcCases.PingAnswered],
                Transports = Secure,
                Setup = Mallory,
                Stimulus = $"a link presenting {b.Who}, then a signed Ping (or Fetch) over it",
                Oracle = "the handshake is aborted, or the SUT closes the link at once; a link that stays open is a failure even if its messages are ignored",
                Run = c => RefusedIdentity(c, b.Make(c), b.Who, fetch: b.Id == "TR-2a-01"),
            };
        }
    }

    private static async Task<Outcome> RefusedIdentity(CaseContext c, Identity? identity, string who, bool fetch)
    {
        ProbeLink link;
        try
        {
            link = await c.ConnectAsync(identity, "mallory", anonymous: identity is null);
        }
        catch (ProbeConnectException e) when (e.Failure is ProbeConnectFailure.HandshakeRefused or ProbeConnectFailure.Timeout)
        {
            return Outcome.Pass($"the handshake with {who} was aborted ({e.Message})");
        }
        var signer = identity ?? c.Lab.Probe;
        var request = fetch
            ? c.Request(Peer.Storage.SipUsage.Lookup("canary@" + c.Lab.OverlayName), signer,
                new ResourceDestination(Peer.Storage.SipUsage.ResourceIdOf("canary@" + c.Lab.OverlayName)))
            : c.Request(new PingReq(Opaque.Empty), signer);
        var reply = await link.RequestAsync(request, c.Timeouts.Answer);
        if (reply.Kind == ProbeReplyKind.Closed)
            return Outcome.Pass($"the SUT closed the link from {who} right after the handshake ({reply.Detail})");
        if (reply.Kind == ProbeReplyKind.Answer && reply.ErrorCode is null)
            return Outcome.Fail($"the SUT accepted a link from {who} and answered {reply}");
        // The link stayed up for the whole answer timeout: the certificate was accepted, whatever became of the message.
        return Outcome.Fail($"the SUT kept a link from {who} open for {c.Timeouts.Answer.TotalSeconds:0} s ({reply}); §13.3 requires it to refuse the link, not merely ignore what comes over it");
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    /// <summary>Walks the bytes as TLS records (RFC 8446 §5.1): type, legacy version 3.x, 16-bit length.</summary>
    private static (bool Ok, int Count, string Why) TlsRecords(byte[] wire)
    {
        int offset = 0, count = 0;
        while (offset + 5 <= wire.Length)
        {
            byte type = wire[offset];
            if (type is < 20 or > 23) return (false, count, $"byte {offset} is {type}, not a TLS content type (20–23)");
            if (wire[offset + 1] != 3) return (false, count, $"record {count} at byte {offset} has version {wire[offset + 1]}.{wire[offset + 2]}, not 3.x");
            int length = BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(offset + 3));
            offset += 5 + length;
            count++;
        }
        return (true, count, "");
    }
}
