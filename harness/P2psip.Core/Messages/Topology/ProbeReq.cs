using P2psip.Wire;

namespace P2psip.Messages.Topology;

/// <summary>
/// The body of probe_req (§6.4.2.5.1):
/// <code>
///   struct {
///     ProbeInformationType     requested_info&lt;0..2^8-1&gt;;
///   } ProbeReq;
/// </code>
/// Each element is a one-byte <see cref="ProbeInformationType"/>; 0 (invalid) is rejected, unknown
/// types are kept (the responder ignores what it does not recognise).
/// </summary>
public sealed record ProbeReq(ValueList<byte> RequestedInfo) : MessageBody
{
    internal const string Rfc = "6.4.2.5.1";

    public override ushort Code => MessageCodes.ProbeReq;

    internal override void WriteFields(WireWriter w)
    {
        w.BeginVector("requested_info", 1, isList: true);
        for (int i = 0; i < RequestedInfo.Count; i++)
            w.U8(FieldPaths.Element(i), RequestedInfo[i], FieldKind.Enum, ProbeInformationType.Name);
        w.EndVector();
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.Enter("requested_info", 1, Rfc, out var saved)) return false;
        var items = new byte[r.Remaining];
        for (int i = 0; i < items.Length; i++)
            if (!r.Enum8NonZero("requested_info" + FieldPaths.Element(i), Rfc, out items[i])) return false;
        if (!r.Leave("requested_info", saved, Rfc)) return false;
        value = new ProbeReq(items.Length == 0 ? ValueList<byte>.Empty : new ValueList<byte>(items));
        return true;
    }
}
