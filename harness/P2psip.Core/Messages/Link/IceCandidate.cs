using P2psip.Wire;

namespace P2psip.Messages.Link;

/// <summary>
/// One ICE candidate of an Attach or AppAttach (§6.5.1.1):
/// <code>
///   struct {
///     IpAddressPort         addr_port;
///     OverlayLinkType       overlay_link;
///     opaque                foundation&lt;0..255&gt;;
///     uint32                priority;
///     CandType              type;
///     select (type) {
///       case host:
///         ;          /* Empty */
///       case srflx:
///       case relay:
///         IpAddressPort     rel_addr_port;
///     };
///     IceExtension          extensions&lt;0..2^16-1&gt;;
///   } IceCandidate;
/// </code>
/// <see cref="RelAddrPort"/> is present exactly for srflx and relay; the encoder writes it whenever
/// the model has one, so a model that breaks the rule makes the wrong bytes on purpose.
/// </summary>
public sealed record IceCandidate(
    IpAddressPort AddrPort,
    byte OverlayLink,
    Opaque Foundation,
    uint Priority,
    byte Type,
    IpAddressPort? RelAddrPort,
    ValueList<IceExtension> Extensions)
{
    internal const string Rfc = "6.5.1.1";

    /// <summary>A host candidate with no extensions.</summary>
    public static IceCandidate Host(IpAddressPort addrPort, byte overlayLink, Opaque foundation, uint priority) =>
        new(addrPort, overlayLink, foundation, priority, CandType.Host, null, ValueList<IceExtension>.Empty);

    internal void Write(WireWriter w)
    {
        AddrPort.Write(w, "addr_port");
        w.U8("overlay_link", OverlayLink, FieldKind.Enum, OverlayLinkType.Name);
        w.Vector("foundation", 1, Foundation.Span);
        w.U32("priority", Priority);
        w.U8("type", Type, FieldKind.Enum, CandType.Name);
        RelAddrPort?.Write(w, "rel_addr_port");
        w.BeginVector("extensions", 2, isList: true);
        foreach (var extension in Extensions)
        {
            w.BeginElement();
            extension.Write(w);
            w.End();
        }
        w.EndVector();
    }

    internal static bool TryRead(ref WireReader r, out IceCandidate value)
    {
        value = null!;
        if (!IpAddressPort.TryRead(ref r, "addr_port", out var addrPort)) return false;
        if (!r.Enum8NonZero("overlay_link", Rfc, out var overlayLink)) return false;
        if (!r.Vector("foundation", 1, Rfc, out var foundation)) return false;
        if (!r.U32("priority", Rfc, out var priority)) return false;
        int typeAt = r.Position;
        if (!r.Enum8NonZero("type", Rfc, out var type)) return false;
        IpAddressPort? relAddrPort = null;
        if (CandType.HasRelatedAddress(type))
        {
            if (!IpAddressPort.TryRead(ref r, "rel_addr_port", out relAddrPort)) return false;
        }
        else if (type != CandType.Host)
        {
            return r.Reject("type", typeAt, $"{type} is not a CandType (the select has no case for it)", Rfc);
        }
        if (!r.Enter("extensions", 2, Rfc, out var saved)
            || !r.List<IceExtension>("extensions", Rfc, IceExtension.TryRead, out var extensions)
            || !r.Leave("extensions", saved, Rfc))
            return false;
        value = new IceCandidate(addrPort, overlayLink, foundation, priority, type, relAddrPort, extensions);
        return true;
    }

    /// <summary>Writes <c>IceCandidate candidates&lt;0..2^16-1&gt;</c>, shared by Attach and AppAttach.</summary>
    internal static void WriteList(WireWriter w, ValueList<IceCandidate> candidates)
    {
        w.BeginVector("candidates", 2, isList: true);
        foreach (var candidate in candidates)
        {
            w.BeginElement();
            candidate.Write(w);
            w.End();
        }
        w.EndVector();
    }

    /// <summary>Reads <c>IceCandidate candidates&lt;0..2^16-1&gt;</c>.</summary>
    internal static bool TryReadList(ref WireReader r, string rfc, out ValueList<IceCandidate> candidates)
    {
        candidates = ValueList<IceCandidate>.Empty;
        return r.Enter("candidates", 2, rfc, out var saved)
            && r.List("candidates", rfc, TryRead, out candidates)
            && r.Leave("candidates", saved, rfc);
    }
}
