using P2psip.Links;
using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// A message under decision with what matchers and actions ask of it, computed once: the decoded
/// model (null when the bytes do not decode), the field map, the originator and the first destination.
/// </summary>
internal sealed class MessageView
{
    private FieldNode? _fieldMap;
    private byte[]? _encoded;

    public MessageView(AdversaryMessage message)
    {
        Message = message;
        Decoded = message.Decoded ?? (ReloadCodec.Decode(message.Bytes).Value);
    }

    public AdversaryMessage Message { get; }
    public ReloadMessage? Decoded { get; }

    public FieldNode? FieldMap => Decoded is null ? null : _fieldMap ??= ReloadCodec.FieldMap(Decoded);

    /// <summary>
    /// The bytes the field map's offsets refer to: the message's own when it was decoded from them
    /// (the strict decoder accepts only what encodes back to the same bytes), else the model written.
    /// </summary>
    public byte[] Encoded => Decoded is null || Message.Decoded is null ? Message.Bytes : _encoded ??= ReloadCodec.Encode(Decoded);

    /// <summary>The Node-ID of the link end the message came from.</summary>
    public Opaque PreviousHop => Message.Direction == LinkDirection.Inbound ? Message.RemoteNodeId : Message.LocalNodeId;

    /// <summary>The first Via entry, or the previous hop when the Via list is empty (§6.3.2.2).</summary>
    public Opaque Source =>
        Decoded?.Header.ViaList is { Count: > 0 } via && via[0] is NodeDestination n ? n.NodeId : PreviousHop;

    /// <summary>The Node-ID or Resource-ID of the first Destination List entry, or empty.</summary>
    public Opaque FirstDestination => Decoded?.Header.DestinationList is { Count: > 0 } list
        ? list[0] switch
        {
            NodeDestination n => n.NodeId,
            ResourceDestination r => r.ResourceId,
            OpaqueIdDestination o => o.Id,
            _ => Opaque.Empty,
        }
        : Opaque.Empty;

    public string? CodeName => Decoded is null ? null : MessageCodes.NameOf(Decoded.MessageCode) ?? $"0x{Decoded.MessageCode:x4}";

    /// <summary>Kind-IDs in the body of the storage methods (§7.4), read from the model.</summary>
    public IEnumerable<uint> KindIds() => Decoded?.Body switch
    {
        StoreReq b => b.KindData.Select(k => k.Kind),
        StoreAns b => b.KindResponses.Select(k => k.Kind),
        FetchReq b => b.Specifiers.Select(k => k.Kind),
        FetchAns b => b.KindResponses.Select(k => k.Kind),
        StatReq b => b.Specifiers.Select(k => k.Kind),
        StatAns b => b.KindResponses.Select(k => k.Kind),
        FindReq b => b.Kinds,
        FindAns b => b.Results.Select(k => k.Kind),
        _ => [],
    };
}
