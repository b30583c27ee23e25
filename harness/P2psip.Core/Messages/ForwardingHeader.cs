using P2psip.Wire;

namespace P2psip.Messages;

/// <summary>
/// The forwarding header (§6.3.2). relo_token, version and the four lengths are not part of the
/// model: the encoder computes them (or writes what a <see cref="WireEdits"/> says) and the
/// decoder checks them.
/// <code>
///   struct {
///     uint32 relo_token; uint32 overlay; uint16 configuration_sequence; uint8 version; uint8 ttl;
///     uint32 fragment; uint32 length; uint64 transaction_id; uint32 max_response_length;
///     uint16 via_list_length; uint16 destination_list_length; uint16 options_length;
///     Destination via_list[via_list_length]; Destination destination_list[destination_list_length];
///     ForwardingOption options[options_length];
///   } ForwardingHeader;
/// </code>
/// </summary>
public sealed record ForwardingHeader
{
    internal const string Rfc = "6.3.2";
    public const uint ReloToken = 0xd2454c4f;
    public const byte Version10 = 0x0a;
    /// <summary>The fixed part before the lists, in bytes.</summary>
    public const int FixedSize = 38;
    /// <summary>High bit (must be set, §6.3.2) and last-fragment bit: an unfragmented message.</summary>
    public const uint Unfragmented = 0xC000_0000;

    public uint Overlay { get; init; }
    public ushort ConfigurationSequence { get; init; }
    public byte Ttl { get; init; } = 100;
    public uint Fragment { get; init; } = Unfragmented;
    public ulong TransactionId { get; init; }
    public uint MaxResponseLength { get; init; }
    public ValueList<Destination> ViaList { get; init; } = ValueList<Destination>.Empty;
    public ValueList<Destination> DestinationList { get; init; } = ValueList<Destination>.Empty;
    public ValueList<ForwardingOption> Options { get; init; } = ValueList<ForwardingOption>.Empty;

    public bool IsLastFragment => (Fragment & 0x4000_0000) != 0;
    public uint FragmentOffset => Fragment & 0x00FF_FFFF;

    /// <summary>Writes the header; returns the slot of the message's total <c>length</c>, filled by the message writer.</summary>
    internal WireWriter.LengthSlot Write(WireWriter w)
    {
        w.Begin("forwarding_header");
        w.U32("relo_token", ReloToken, FieldKind.Code, static _ => "RELO");
        w.U32("overlay", Overlay);
        w.U16("configuration_sequence", ConfigurationSequence);
        w.U8("version", Version10, FieldKind.Code, static v => v == Version10 ? "1.0" : null);
        w.U8("ttl", Ttl);
        w.U32("fragment", Fragment, FieldKind.Enum, DescribeFragment);
        var length = w.Reserve("length", 4);
        w.U64("transaction_id", TransactionId);
        w.U32("max_response_length", MaxResponseLength);
        var viaLength = w.Reserve("via_list_length", 2);
        var destinationLength = w.Reserve("destination_list_length", 2);
        var optionsLength = w.Reserve("options_length", 2);
        w.Fill(viaLength, WriteList(w, "via_list", ViaList));
        w.Fill(destinationLength, WriteList(w, "destination_list", DestinationList));
        w.Begin("options", isList: true);
        foreach (var option in Options)
        {
            w.BeginElement();
            option.Write(w);
            w.End();
        }
        w.Fill(optionsLength, w.End());
        w.End();
        return length;
    }

    private static int WriteList(WireWriter w, string name, ValueList<Destination> list)
    {
        w.Begin(name, isList: true);
        foreach (var d in list)
        {
            w.BeginElement();
            d.Write(w);
            w.End();
        }
        return w.End();
    }

    private static string DescribeFragment(ulong f)
    {
        var last = (f & 0x4000_0000) != 0 ? "last" : "more";
        return $"{last}, offset {f & 0x00FF_FFFF}";
    }

    /// <summary>
    /// Reads the header and checks it against the message: token, version, fragment high bit and
    /// that <c>length</c> equals the bytes present (§6.3.2).
    /// </summary>
    internal static bool TryRead(ref WireReader r, int messageLength, out ForwardingHeader value)
    {
        value = null!;
        if (!ForwardingHeaderView.TryReadFixed(ref r, messageLength, out var fixedPart)) return false;
        if (!ReadDestinations(ref r, "via_list", fixedPart.Start + 32, fixedPart.ViaListLength, out var via)) return r.Nest("forwarding_header");
        if (!ReadDestinations(ref r, "destination_list", fixedPart.Start + 34, fixedPart.DestinationListLength, out var destinations)) return r.Nest("forwarding_header");
        if (!r.Narrow("options", fixedPart.Start + 36, fixedPart.OptionsLength, Rfc, out var saved)
            || !r.List<ForwardingOption>("options", ForwardingOption.Rfc, ForwardingOption.TryRead, out var options)
            || !r.Leave("options", saved, Rfc))
            return r.Nest("forwarding_header");
        value = new ForwardingHeader
        {
            Overlay = fixedPart.Overlay,
            ConfigurationSequence = fixedPart.ConfigurationSequence,
            Ttl = fixedPart.Ttl,
            Fragment = fixedPart.Fragment,
            TransactionId = fixedPart.TransactionId,
            MaxResponseLength = fixedPart.MaxResponseLength,
            ViaList = via,
            DestinationList = destinations,
            Options = options,
        };
        return true;
    }

    private static bool ReadDestinations(ref WireReader r, string name, int lengthFieldOffset, ushort length, out ValueList<Destination> list)
    {
        list = ValueList<Destination>.Empty;
        if (!r.Narrow(name, lengthFieldOffset, length, Rfc, out var saved)) return false;
        if (!r.List<Destination>(name, Destination.Rfc, Destination.TryReadElement, out list)) return false;
        return r.Leave(name, saved, Rfc);
    }
}
