using FsCheck;
using FsCheck.Fluent;
using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Link;
using P2psip.Messages.Topology;
using P2psip.Wire;

namespace P2psip.Tests.Generators;

/// <summary>
/// Arbitrary valid topology and link-management bodies (§6.4.2, §6.5, §10): every field within its
/// size, every enum and select consistent, so decode(encode(m)) == m must hold. Sizes stay small.
/// </summary>
public static class TopologyBodyGen
{
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(b => (byte)b);
    private static readonly Gen<bool> AnyBool = Gen.Elements(false, true);
    private static readonly Gen<ushort> AnyU16 = Gen.Choose(0, 0xFFFF).Select(v => (ushort)v);
    private static readonly Gen<uint> AnyU32 =
        from hi in AnyU16
        from lo in AnyU16
        select (uint)hi << 16 | lo;
    private static readonly Gen<ulong> AnyU64 =
        from hi in AnyU32
        from lo in AnyU32
        select (ulong)hi << 32 | lo;

    private static Gen<byte> ByteIn(int min, int max) => Gen.Choose(min, max).Select(b => (byte)b);

    private static Gen<Opaque> Bytes(int maxLength) =>
        Gen.Choose(0, maxLength).SelectMany(n => Gen.ArrayOf(AnyByte, n)).Select(a => (Opaque)a);

    private static Gen<ValueList<T>> ListOf<T>(Gen<T> element, int maxCount) =>
        Gen.Choose(0, maxCount).SelectMany(n => Gen.ArrayOf(element, n)).Select(a => new ValueList<T>(a));

    private static Gen<Opaque> NodeId(int nodeIdLength) => Gen.ArrayOf(AnyByte, nodeIdLength).Select(a => (Opaque)a);

    private static Gen<IpAddressPort> AddressPort() => Gen.OneOf(
        from addr in Gen.ArrayOf(AnyByte, 4) from port in AnyU16 select new IpAddressPort(IpAddressPort.Ipv4, addr, port),
        from addr in Gen.ArrayOf(AnyByte, 16) from port in AnyU16 select new IpAddressPort(IpAddressPort.Ipv6, addr, port),
        // "This structure can be extended": unknown address types are kept whole, with no port (§6.3.1.1).
        from type in ByteIn(3, 255) from value in Bytes(8) select new IpAddressPort(type, value, 0));

    private static Gen<IceCandidate> Candidate() =>
        from addrPort in AddressPort()
        from overlayLink in ByteIn(1, 255)
        from foundation in Bytes(8)
        from priority in AnyU32
        from type in Gen.Elements(CandType.Host, CandType.Srflx, CandType.Relay)
        from related in AddressPort()
        from extensions in ListOf(from name in Bytes(6) from value in Bytes(6) select new IceExtension(name, value), 2)
        select new IceCandidate(addrPort, overlayLink, foundation, priority, type,
            CandType.HasRelatedAddress(type) ? related : null, extensions);

    private static Gen<Destination> AnyDestination(int nodeIdLength) => Gen.OneOf(
        NodeId(nodeIdLength).Select(id => (Destination)new NodeDestination(id)),
        Bytes(20).Select(id => (Destination)new ResourceDestination(id)),
        Bytes(10).Select(id => (Destination)new OpaqueIdDestination(id)),
        Gen.Choose(0x8000, 0xFFFF).Select(id => (Destination)new CompressedDestination((ushort)id)),
        from type in ByteIn(4, 127) from data in Bytes(10) select (Destination)new UnknownDestination(type, data));

    private static Gen<ProbeInformation> Probe() => Gen.OneOf(
        AnyU32.Select(v => (ProbeInformation)new ResponsibleSetInformation(v)),
        AnyU32.Select(v => (ProbeInformation)new NumResourcesInformation(v)),
        AnyU32.Select(v => (ProbeInformation)new UptimeInformation(v)),
        from type in ByteIn(4, 255) from value in Bytes(8) select (ProbeInformation)new UnknownProbeInformation(type, value));

    private static Gen<ChordUpdate> Update(int nodeIdLength)
    {
        var ids = ListOf(NodeId(nodeIdLength), 4);
        return Gen.OneOf(
            AnyU32.Select(up => (ChordUpdate)new PeerReadyUpdate(up)),
            from up in AnyU32 from p in ids from s in ids select (ChordUpdate)new NeighborsUpdate(up, p, s),
            from up in AnyU32 from p in ids from s in ids from f in ids select (ChordUpdate)new FullUpdate(up, p, s, f));
    }

    private static Gen<ConfigUpdateReq> ConfigUpdate() => Gen.OneOf(
        Bytes(40).Select(d => (ConfigUpdateReq)new ConfigDataUpdateReq(d)),
        ListOf(Bytes(12), 3).Select(k => (ConfigUpdateReq)new KindUpdateReq(k)),
        from type in ByteIn(3, 255) from value in Bytes(12) select (ConfigUpdateReq)new UnknownConfigUpdateReq(type, value));

    /// <summary>Any valid body of the codes this area implements, for an overlay with <paramref name="nodeIdLength"/>-byte Node-IDs.</summary>
    public static Gen<MessageBody> Any(int nodeIdLength)
    {
        var nodeId = NodeId(nodeIdLength);
        var candidates = ListOf(Candidate(), 2);
        var attach =
            from ufrag in Bytes(8)
            from password in Bytes(12)
            from role in Gen.Elements("passive", "active", "actpass").Select(Opaque.Utf8)
            from cands in candidates
            from sendUpdate in AnyBool
            select (ufrag, password, role, cands, sendUpdate);
        var appAttach =
            from ufrag in Bytes(8)
            from password in Bytes(12)
            from application in Gen.Choose(1, 0xFFFF).Select(a => (ushort)a)
            from role in Bytes(8)
            from cands in candidates
            select (ufrag, password, application, role, cands);
        return Gen.OneOf(
            ListOf(ByteIn(1, 255), 6).Select(i => (MessageBody)new ProbeReq(i)),
            ListOf(Probe(), 4).Select(i => (MessageBody)new ProbeAns(i)),
            attach.Select(a => (MessageBody)new AttachReq(a.ufrag, a.password, a.role, a.cands, a.sendUpdate)),
            attach.Select(a => (MessageBody)new AttachAns(a.ufrag, a.password, a.role, a.cands, a.sendUpdate)),
            from id in nodeId from data in Bytes(10) select (MessageBody)new JoinReq(id, data),
            Bytes(10).Select(d => (MessageBody)new JoinAns(d)),
            from id in nodeId
            from type in Gen.Elements(ChordLeaveData.FromSuccType, ChordLeaveData.FromPredType)
            from ids in ListOf(nodeId, 4)
            select (MessageBody)new LeaveReq(id, new ChordLeaveData(type, ids)),
            Gen.Constant((MessageBody)new LeaveAns()),
            Update(nodeIdLength).Select(u => (MessageBody)new UpdateReq(u)),
            Bytes(6).Select(d => (MessageBody)new UpdateAns(d)),
            from sendUpdate in AnyBool from destination in AnyDestination(nodeIdLength) select (MessageBody)new RouteQueryReq(sendUpdate, destination),
            nodeId.Select(id => (MessageBody)new RouteQueryAns(new ChordRouteQueryAns(id))),
            Bytes(64).Select(p => (MessageBody)new PingReq(p)),
            from id in AnyU64 from time in AnyU64 select (MessageBody)new PingAns(id, time),
            appAttach.Select(a => (MessageBody)new AppAttachReq(a.ufrag, a.password, a.application, a.role, a.cands)),
            appAttach.Select(a => (MessageBody)new AppAttachAns(a.ufrag, a.password, a.application, a.role, a.cands)),
            ConfigUpdate().Select(c => (MessageBody)c),
            Gen.Constant((MessageBody)new ConfigUpdateAns()));
    }
}
