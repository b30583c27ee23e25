using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Tests.Generators;

/// <summary>
/// Arbitrary valid storage bodies (§7.4) for property tests: Kinds of all three data models from
/// <see cref="KindRegistry.Default"/> plus Kinds it does not know, whose values are generated in
/// their opaque form (which is how the decoder returns them).
/// </summary>
public static class StorageBodyGen
{
    /// <summary>Kind-IDs outside <see cref="KindRegistry.Default"/>: their values stay opaque.</summary>
    public static readonly uint[] UnknownKinds = [0, 4, 17, 0x8000_0001, 0xffff_ffff];

    private static readonly uint[] KnownKinds =
        [KindRegistry.SipRegistration, KindRegistry.TurnService, KindRegistry.CertificateByNode, KindRegistry.CertificateByUser];

    public static Gen<MessageBody> Any(int nodeIdLength) => Gen.OneOf(
        StoreReq(nodeIdLength), StoreAns(nodeIdLength), FetchReq(), FetchAns(nodeIdLength),
        StatReq(), StatAns(), FindReq(), FindAns());

    // ---- primitives ----------------------------------------------------------------------------

    private static readonly Gen<byte> Byte = Gen.Choose(0, 255).Select(b => (byte)b);
    private static readonly Gen<bool> Bool = Gen.Elements(false, true);

    private static Gen<Opaque> Bytes(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Byte, n)).Select(b => (Opaque)b);

    private static Gen<Opaque> FixedBytes(int length) => Gen.ArrayOf(Byte, length).Select(b => (Opaque)b);

    private static readonly Gen<uint> U32 = FixedBytes(4).Select(b => BinaryPrimitives.ReadUInt32BigEndian(b.Span));
    private static readonly Gen<ulong> U64 = FixedBytes(8).Select(b => BinaryPrimitives.ReadUInt64BigEndian(b.Span));

    private static Gen<ValueList<T>> ListOf<T>(Gen<T> element, int max) =>
        Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(element, n)).Select(a => new ValueList<T>(a));

    private static readonly Gen<Opaque> ResourceId = Bytes(0, 20);

    private static readonly Gen<uint> Kind = Gen.Frequency(
        (4, Gen.Elements(KnownKinds)),
        (1, Gen.Elements(UnknownKinds)));

    // ---- values --------------------------------------------------------------------------------

    private static readonly Gen<DataValue> DataValue =
        Bool.SelectMany(exists => Bytes(0, 40).Select(v => new DataValue(exists, v)));

    private static Gen<StoredDataValue> ValueOf(DataModel? model) => model switch
    {
        DataModel.SingleValue => DataValue.Select(v => (StoredDataValue)new SingleValueEntry(v)),
        DataModel.Array => U32.SelectMany(i => DataValue.Select(v => (StoredDataValue)new ArrayEntry(i, v))),
        DataModel.Dictionary => Bytes(0, 20).SelectMany(k => DataValue.Select(v => (StoredDataValue)new DictionaryEntry(k, v))),
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };

    // The Kinds' own values (RFC 7904 §3, §9), in the DataValue bytes where the codec keeps them opaque.
    private static Gen<Destination> NodeDestination(int nodeIdLength) =>
        FixedBytes(nodeIdLength).Select(id => (Destination)new NodeDestination(id));

    /// <summary>SIP-REGISTRATION values of both forms (RFC 7904 §3).</summary>
    public static Gen<SipRegistration> Registration(int nodeIdLength) => Gen.OneOf(
        Bytes(0, 40).Select(uri => (SipRegistration)new SipRegistrationUri(uri)),
        Bytes(0, 20).SelectMany(prefs => ListOf(NodeDestination(nodeIdLength), 3).Select(d => (SipRegistration)new SipRegistrationRoute(prefs, d))));

    private static readonly Gen<TurnServer> Turn =
        Byte.SelectMany(d => FixedBytes(4).SelectMany(a => Gen.Choose(0, 65535).Select(p => new TurnServer(d, new IpAddressPort(IpAddressPort.Ipv4, a, (ushort)p)))));

    /// <summary>A value of <paramref name="kind"/>: its typed value when the Kind has one, else arbitrary bytes.</summary>
    private static Gen<StoredDataValue> ValueOfKind(uint kind, int nodeIdLength) => kind switch
    {
        KindRegistry.SipRegistration => Gen.Frequency(
            (3, FixedBytes(nodeIdLength).SelectMany(node => Registration(nodeIdLength).Select(reg => (StoredDataValue)reg.ToEntry(node)))),
            (1, ValueOf(DataModel.Dictionary))),
        KindRegistry.TurnService => Gen.Frequency(
            (3, Turn.Select(t => (StoredDataValue)new SingleValueEntry(t.ToDataValue()))),
            (1, ValueOf(DataModel.SingleValue))),
        _ => ValueOf(KindRegistry.Default.ModelOf(kind)),
    };

    private static readonly Gen<SignerIdentity> Identity = Gen.OneOf(
        Gen.Constant(SignerIdentity.None),
        Bytes(0, 32).Select(h => SignerIdentity.OfCertHash(h)),
        Byte.SelectMany(alg => Bytes(0, 32).Select(h => new SignerIdentity(SignerIdentity.CertHashNodeId, alg, h))));

    private static readonly Gen<Signature> Signature =
        Byte.SelectMany(hash => Byte.Select(sig => new SignatureAndHashAlgorithm(hash, sig)))
            .SelectMany(alg => Identity.SelectMany(id => Bytes(0, 64).Select(v => new Signature(alg, id, v))));

    private static Gen<StoredData> StoredDataOf(uint kind, int nodeIdLength)
    {
        var times = U64.SelectMany(t => U32.Select(l => (Time: t, Lifetime: l)));
        if (KindRegistry.Default.ModelOf(kind) is null)
            return times.SelectMany(t => Bytes(0, 60).Select(b => StoredData.Uninterpreted(t.Time, t.Lifetime, b)));
        return times.SelectMany(t => ValueOfKind(kind, nodeIdLength).SelectMany(v => Signature.Select(s => new StoredData(t.Time, t.Lifetime, v, s))));
    }

    private static Gen<MetaDataValue> MetaOf(DataModel? model)
    {
        var meta = Bool.SelectMany(e => U32.SelectMany(len => Byte.SelectMany(alg => Bytes(0, 32).Select(h => new MetaData(e, len, alg, h)))));
        return model switch
        {
            DataModel.SingleValue => meta.Select(m => (MetaDataValue)new SingleValueEntryMeta(m)),
            DataModel.Array => U32.SelectMany(i => meta.Select(m => (MetaDataValue)new ArrayEntryMeta(i, m))),
            DataModel.Dictionary => Bytes(0, 20).SelectMany(k => meta.Select(m => (MetaDataValue)new DictionaryEntryMeta(k, m))),
            _ => Bytes(0, 40).Select(b => (MetaDataValue)new UninterpretedMeta(b)),
        };
    }

    private static Gen<StoredMetaData> StoredMetaDataOf(uint kind) =>
        U64.SelectMany(t => U32.SelectMany(l => MetaOf(KindRegistry.Default.ModelOf(kind)).Select(m => new StoredMetaData(t, l, m))));

    private static Gen<ModelSpecifier> SpecifierOf(uint kind) => KindRegistry.Default.ModelOf(kind) switch
    {
        DataModel.SingleValue => Gen.Constant<ModelSpecifier>(SingleValueSpecifier.Instance),
        DataModel.Array => ListOf(U32.SelectMany(f => U32.Select(l => new ArrayRange(f, l))), 4).Select(r => (ModelSpecifier)new ArraySpecifier(r)),
        DataModel.Dictionary => ListOf(Bytes(0, 20), 4).Select(k => (ModelSpecifier)new DictionarySpecifier(k)),
        _ => Bytes(0, 30).Select(b => (ModelSpecifier)new UninterpretedSpecifier(b)),
    };

    private static readonly Gen<StoredDataSpecifier> Specifier =
        Kind.SelectMany(k => U64.SelectMany(g => SpecifierOf(k).Select(s => new StoredDataSpecifier(k, g, s))));

    // ---- bodies --------------------------------------------------------------------------------

    public static Gen<MessageBody> StoreReq(int nodeIdLength) =>
        ResourceId.SelectMany(res => Byte.SelectMany(replica =>
            ListOf(Kind.SelectMany(k => U64.SelectMany(g => ListOf(StoredDataOf(k, nodeIdLength), 3).Select(v => new StoreKindData(k, g, v)))), 3)
                .Select(kinds => (MessageBody)new StoreReq(res, replica, kinds))));

    public static Gen<MessageBody> StoreAns(int nodeIdLength) =>
        ListOf(Kind.SelectMany(k => U64.SelectMany(g => ListOf(FixedBytes(nodeIdLength), 3).Select(r => new StoreKindResponse(k, g, r)))), 3)
            .Select(r => (MessageBody)new StoreAns(r));

    public static Gen<MessageBody> FetchReq() =>
        ResourceId.SelectMany(res => ListOf(Specifier, 4).Select(s => (MessageBody)new FetchReq(res, s)));

    public static Gen<MessageBody> FetchAns(int nodeIdLength) =>
        ListOf(Kind.SelectMany(k => U64.SelectMany(g => ListOf(StoredDataOf(k, nodeIdLength), 3).Select(v => new FetchKindResponse(k, g, v)))), 3)
            .Select(r => (MessageBody)new FetchAns(r));

    public static Gen<MessageBody> StatReq() =>
        ResourceId.SelectMany(res => ListOf(Specifier, 4).Select(s => (MessageBody)new StatReq(res, s)));

    public static Gen<MessageBody> StatAns() =>
        ListOf(Kind.SelectMany(k => U64.SelectMany(g => ListOf(StoredMetaDataOf(k), 3).Select(v => new StatKindResponse(k, g, v)))), 3)
            .Select(r => (MessageBody)new StatAns(r));

    public static Gen<MessageBody> FindReq() =>
        ResourceId.SelectMany(res => ListOf(Kind, 6).Select(k => (MessageBody)new FindReq(res, k)));

    public static Gen<MessageBody> FindAns() =>
        ListOf(Kind.SelectMany(k => ResourceId.Select(c => new FindKindData(k, c))), 4).Select(r => (MessageBody)new FindAns(r));
}
