using FsCheck;
using FsCheck.Fluent;
using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Wire;
using static P2psip.Tests.Generators.WireGen;

namespace P2psip.Tests.Generators;

/// <summary>Generators of valid whole messages: every header form, every body kind, signed and unsigned.</summary>
public static class MessageGen
{
    public static Gen<Destination> Destination(int nodeIdLength) => Gen.OneOf(
        NodeId(nodeIdLength).Select(id => (Destination)new NodeDestination(id)),
        Bytes(0, 40).Select(id => (Destination)new ResourceDestination(id)),
        Bytes(0, 20).Select(id => (Destination)new OpaqueIdDestination(id)),
        Gen.Choose(0x8000, 0xFFFF).Select(id => (Destination)new CompressedDestination((ushort)id)),
        from type in Gen.Choose(4, 127) from data in Bytes(0, 12) select (Destination)new UnknownDestination((byte)type, data));

    public static Gen<ForwardingOption> Option =>
        from type in NonZeroByte from flags in AnyByte from value in Bytes(0, 12) select new ForwardingOption(type, flags, value);

    public static Gen<ForwardingHeader> Header(int nodeIdLength) =>
        from overlay in AnyUInt32
        from sequence in AnyUInt16
        from ttl in AnyByte
        from fragment in AnyUInt32
        from txid in AnyUInt64
        from maxResponse in AnyUInt32
        from via in List(Destination(nodeIdLength))
        from destinations in List(Destination(nodeIdLength))
        from options in List(Option, 2)
        select new ForwardingHeader
        {
            Overlay = overlay, ConfigurationSequence = sequence, Ttl = ttl, Fragment = fragment | 0x8000_0000,
            TransactionId = txid, MaxResponseLength = maxResponse, ViaList = via, DestinationList = destinations, Options = options,
        };

    public static Gen<MessageExtension> Extension =>
        from type in Gen.Choose(1, 0xFFFF) from critical in AnyBool from contents in Bytes(0, 12) select new MessageExtension((ushort)type, critical, contents);

    public static Gen<SignerIdentity> Identity => Gen.OneOf(
        Gen.Constant(SignerIdentity.None),
        from alg in AnyByte from hash in Bytes(0, 40) select new SignerIdentity(SignerIdentity.CertHash, alg, hash),
        from alg in AnyByte from hash in Bytes(0, 40) select new SignerIdentity(SignerIdentity.CertHashNodeId, alg, hash),
        from type in Gen.Choose(4, 255) from value in Bytes(0, 10) select new SignerIdentity((byte)type, 0, value));

    public static Gen<SecurityBlock> Security =>
        from certificates in List(from type in AnyByte from der in Bytes(0, 60) select new GenericCertificate(type, der), 2)
        from hash in AnyByte
        from signatureAlgorithm in AnyByte
        from identity in Identity
        from value in Bytes(0, 80)
        select new SecurityBlock(certificates, new Signature(new SignatureAndHashAlgorithm(hash, signatureAlgorithm), identity, value));

    /// <summary>Bodies of every message code the codec types, plus opaque bodies of unassigned codes.</summary>
    public static Gen<MessageBody> Body(int nodeIdLength) => Gen.OneOf(BodySources(nodeIdLength));

    private static IEnumerable<Gen<MessageBody>> BodySources(int nodeIdLength)
    {
        yield return TopologyBodyGen.Any(nodeIdLength);
        yield return StorageBodyGen.Any(nodeIdLength);
        yield return from code in Gen.Choose(1, 0xFFFF) from info in Bytes(0, 30) select (MessageBody)new ErrorResponse((ushort)code, info);
        // Unassigned codes stay opaque (§14.8); 0x8000-0xFFFE are reserved and refused (§6.3.3).
        yield return from code in Gen.Elements<ushort>(0x5, 0x6, 0xB, 0xC, 0x1B, 0x1C, 0x23, 0x24, 0x25, 0x26, 0x100, 0x7FFE, 0x7FFF)
            from bytes in Bytes(0, 30)
            select (MessageBody)new OpaqueBody(code, bytes);
    }

    public static Gen<ReloadMessage> Message(int nodeIdLength = 16) =>
        from header in Header(nodeIdLength)
        from body in Body(nodeIdLength)
        from extensions in List(Extension, 2)
        from security in Security
        select new ReloadMessage(header, new MessageContents(body) { Extensions = extensions }, security);
}
