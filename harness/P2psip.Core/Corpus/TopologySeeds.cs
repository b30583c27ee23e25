using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Link;
using P2psip.Messages.Topology;
using P2psip.Wire;

namespace P2psip.Corpus;

/// <summary>
/// One realistic, valid body per topology and link-management message code (§6.4.2, §6.5, §10),
/// named by the RFC's code name, for the fuzz corpus (one seed file per code). Node-IDs are 16
/// bytes, CHORD-RELOAD's default.
/// </summary>
public static class TopologySeeds
{
    private static Opaque NodeId(byte tag) =>
        Opaque.FromHex($"{tag:x2}5f3a9c0e7b214d8aa6c1f0e29b{tag:x2}7d");

    private static readonly IpAddressPort Host = IpAddressPort.Parse("192.0.2.1:6084");
    private static readonly IpAddressPort Mapped = IpAddressPort.Parse("198.51.100.7:40312");
    private static readonly IpAddressPort Relayed = IpAddressPort.Parse("[2001:db8::5]:3478");

    /// <summary>Candidates as an ICE agent gathers them: host, server-reflexive, relayed (§6.5.1.5).</summary>
    private static ValueList<IceCandidate> Candidates(byte overlayLink) =>
    [
        IceCandidate.Host(Host, overlayLink, Opaque.Utf8("1"), 2130706431),
        new IceCandidate(Mapped, overlayLink, Opaque.Utf8("2"), 1694498815, CandType.Srflx, Host, []),
        new IceCandidate(Relayed, overlayLink, Opaque.Utf8("3"), 16777215, CandType.Relay, Mapped,
            [new IceExtension(Opaque.Utf8("network-cost"), Opaque.Utf8("10"))]),
    ];

    public static IEnumerable<(string Name, MessageBody Body)> All()
    {
        MessageBody[] bodies =
        [
            new ProbeReq([ProbeInformationType.ResponsibleSet, ProbeInformationType.NumResources, ProbeInformationType.Uptime]),
            new ProbeAns([new ResponsibleSetInformation(250_000_000), new NumResourcesInformation(42), new UptimeInformation(86_400)]),
            new AttachReq(Opaque.Utf8("fr4g"), Opaque.Utf8("s3cr3t-pa55w0rd-ice"), Opaque.Utf8("passive"),
                Candidates(OverlayLinkType.DtlsUdpSr), SendUpdate: true),
            new AttachAns(Opaque.Utf8("an5w"), Opaque.Utf8("an0ther-pa55w0rd-ice"), Opaque.Utf8("active"),
                [IceCandidate.Host(Mapped, OverlayLinkType.TlsTcpFhNoIce, Opaque.Utf8("1"), 2130706431)], SendUpdate: false),
            new JoinReq(NodeId(0x11), Opaque.Empty),
            new JoinAns(Opaque.Empty),
            new LeaveReq(NodeId(0x11), ChordLeaveData.FromPred([NodeId(0x0e), NodeId(0x0d)])),
            new LeaveAns(),
            new UpdateReq(new FullUpdate(3600,
                [NodeId(0x0e), NodeId(0x0d)],
                [NodeId(0x21), NodeId(0x22), NodeId(0x23)],
                [NodeId(0x40), NodeId(0x80), NodeId(0xc0)])),
            new UpdateAns(Opaque.Empty),
            new RouteQueryReq(SendUpdate: true, new NodeDestination(NodeId(0x12))),
            new RouteQueryAns(new ChordRouteQueryAns(NodeId(0x21))),
            new PingReq(new byte[32]),
            new PingAns(0x5eed5eed5eed5eed, 1_767_225_600_000),
            new AppAttachReq(Opaque.Utf8("sipf"), Opaque.Utf8("sip-pa55w0rd-ice"), AppAttachReqAns.SipApplication,
                Opaque.Utf8("passive"), Candidates(OverlayLinkType.DtlsUdpSr)),
            new AppAttachAns(Opaque.Utf8("sipa"), Opaque.Utf8("sip-an5wer-ice"), AppAttachReqAns.SipApplication,
                Opaque.Utf8("active"), [IceCandidate.Host(Host, OverlayLinkType.DtlsUdpSr, Opaque.Utf8("1"), 2130706431)]),
            new KindUpdateReq([Opaque.Utf8(
                "<kind name=\"SIP-REGISTRATION\"><data-model>DICTIONARY</data-model>"
                + "<access-control>USER-NODE-MATCH</access-control><max-count>1</max-count><max-size>100</max-size></kind>")]),
            new ConfigUpdateAns(),
        ];
        foreach (var body in bodies)
            yield return (body.FieldName, body);
    }
}
