using P2psip.Wire;

namespace P2psip.Messages;

/// <summary>
/// The forwarding header read without allocating: what a forwarding peer needs to route a message
/// (§6.1) before, or instead of, decoding the rest. The lists are checked for well-formedness and
/// located, not materialised.
/// </summary>
public readonly struct ForwardingHeaderView
{
    public int Start { get; init; }
    public uint Overlay { get; init; }
    public ushort ConfigurationSequence { get; init; }
    public byte Version { get; init; }
    public byte Ttl { get; init; }
    public uint Fragment { get; init; }
    public uint Length { get; init; }
    public ulong TransactionId { get; init; }
    public uint MaxResponseLength { get; init; }
    public ushort ViaListLength { get; init; }
    public ushort DestinationListLength { get; init; }
    public ushort OptionsLength { get; init; }

    /// <summary>Offset of the first byte after the header: where MessageContents begins.</summary>
    public int ContentsOffset => Start + ForwardingHeader.FixedSize + ViaListLength + DestinationListLength + OptionsLength;
    public int ViaListOffset => Start + ForwardingHeader.FixedSize;
    public int DestinationListOffset => ViaListOffset + ViaListLength;
    public int OptionsOffset => DestinationListOffset + DestinationListLength;

    /// <summary>Reads and checks the header of one whole message. Allocates only on failure (the error).</summary>
    public static bool TryRead(ReadOnlyMemory<byte> message, DecodeOptions? options, out ForwardingHeaderView view, out DecodeError? error)
    {
        var r = new WireReader(message, options);
        bool ok = TryReadFixed(ref r, message.Length, out view)
            && Skip(ref r, "via_list", view.Start + 32, view.ViaListLength)
            && Skip(ref r, "destination_list", view.Start + 34, view.DestinationListLength)
            && SkipOptions(ref r, view.Start + 36, view.OptionsLength);
        if (!ok) r.Nest("forwarding_header");
        error = r.Error;
        return ok;
    }

    /// <summary>The 38 fixed bytes, with the checks of §6.3.2 that need no lists.</summary>
    internal static bool TryReadFixed(ref WireReader r, int messageLength, out ForwardingHeaderView view)
    {
        const string Rfc = ForwardingHeader.Rfc;
        view = default;
        int start = r.Position;
        if (!r.U32("relo_token", Rfc, out var token)) return r.Nest("forwarding_header");
        if (token != ForwardingHeader.ReloToken)
            return r.Reject("relo_token", start, $"expected 0xd2454c4f (\"RELO\" with the high bit set), got {WireReader.Hex(token)}", Rfc) || r.Nest("forwarding_header");
        if (!r.U32("overlay", Rfc, out var overlay)
            || !r.U16("configuration_sequence", Rfc, out var sequence)
            || !r.U8("version", Rfc, out var version))
            return r.Nest("forwarding_header");
        if (version != ForwardingHeader.Version10)
            return r.Reject("version", start + 10, $"version must be 0x0a (1.0), got {WireReader.Hex(version)}", Rfc) || r.Nest("forwarding_header");
        if (!r.U8("ttl", Rfc, out var ttl) || !r.U32("fragment", Rfc, out var fragment))
            return r.Nest("forwarding_header");
        if ((fragment & 0x8000_0000) == 0)
            return r.Reject("fragment", start + 12, $"the high bit (0x80000000) must be set, got {WireReader.Hex(fragment)}", Rfc) || r.Nest("forwarding_header");
        if (!r.U32("length", Rfc, out var length)) return r.Nest("forwarding_header");
        if (length != (uint)messageLength)
            return r.Reject("length", start + 16, $"length says {length} bytes, the message has {messageLength}", Rfc) || r.Nest("forwarding_header");
        if (!r.U64("transaction_id", Rfc, out var transactionId)
            || !r.U32("max_response_length", Rfc, out var maxResponse)
            || !r.U16("via_list_length", Rfc, out var viaLength)
            || !r.U16("destination_list_length", Rfc, out var destinationLength)
            || !r.U16("options_length", Rfc, out var optionsLength))
            return r.Nest("forwarding_header");
        view = new ForwardingHeaderView
        {
            Start = start, Overlay = overlay, ConfigurationSequence = sequence, Version = version, Ttl = ttl,
            Fragment = fragment, Length = length, TransactionId = transactionId, MaxResponseLength = maxResponse,
            ViaListLength = viaLength, DestinationListLength = destinationLength, OptionsLength = optionsLength,
        };
        return true;
    }

    private static bool Skip(ref WireReader r, string name, int lengthFieldOffset, ushort length)
    {
        if (!r.Narrow(name, lengthFieldOffset, length, ForwardingHeader.Rfc, out var saved)) return false;
        int index = 0;
        while (!r.AtEnd)
        {
            if (!Destination.TryReadParts(ref r, out _, out _)) return r.Nest(name, index);
            index++;
        }
        return r.Leave(name, saved, ForwardingHeader.Rfc);
    }

    private static bool SkipOptions(ref WireReader r, int lengthFieldOffset, ushort length)
    {
        const string Rfc = ForwardingOption.Rfc;
        if (!r.Narrow("options", lengthFieldOffset, length, ForwardingHeader.Rfc, out var saved)) return false;
        int index = 0;
        while (!r.AtEnd)
        {
            if (!r.Enum8NonZero("type", Rfc, out _) || !r.U8("flags", Rfc, out _) || !r.Vector("option", 2, Rfc, out _))
                return r.Nest("options", index);
            index++;
        }
        return r.Leave("options", saved, ForwardingHeader.Rfc);
    }
}
