using P2psip.Links;
using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// A message under decision with what matchers and actions ask of it, computed once: the decoded
/// model (null when the bytes do not decode), the field map, the originator and the first destination.
/// The field map is the costly part (tens of µs for a signed Store): a field test gets only the
/// nodes on its path (<see cref="FieldMapFor"/>), and none when the path names another body.
/// </summary>
internal sealed class MessageView
{
    private const string HeaderSection = "forwarding_header";
    private const string ContentsSection = "message_contents";
    private const string BodyPrefix = "message_contents.message_body.";

    /// <summary>A map with no fields: what a path into another message body finds.</summary>
    private static readonly FieldNode NoFields = new("", "", FieldKind.Container, 0, null);

    private FieldNode? _fieldMap;
    /// <summary>The path-only maps made so far, by path (a scenario has a few field paths).</summary>
    private List<(string Path, FieldNode Map)>? _pathMaps;
    private int _headerLength = -1;
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
    /// A field map holding every field <paramref name="path"/> can name, with the offsets of the whole
    /// message: in the forwarding header or the MessageContents, only the nodes on the path (and
    /// their ancestors); nothing for a path into a body this message does not have; else the whole
    /// map. Null when the message does not decode.
    /// </summary>
    public FieldNode? FieldMapFor(string path)
    {
        if (Decoded is not { } m) return null;
        if (_fieldMap is not null) return _fieldMap;
        if (Under(path, HeaderSection)) return PathMap(path, m, header: true);
        if (!Under(path, ContentsSection)) return FieldMap;
        if (path.StartsWith(BodyPrefix, StringComparison.Ordinal))
        {
            var body = path.AsSpan(BodyPrefix.Length);
            int end = body.IndexOfAny('.', '[');
            if (end >= 0) body = body[..end];
            // message_body holds its length and one structure named for the body (MessageBody.FieldName).
            if (!body.SequenceEqual("length") && !body.SequenceEqual(m.Body.FieldName)) return NoFields;
        }
        return PathMap(path, m, header: false);
    }

    private FieldNode PathMap(string path, ReloadMessage m, bool header)
    {
        _pathMaps ??= [];
        foreach (var (known, map) in _pathMaps)
            if (known == path) return map;
        var made = header ? HeaderMap(m, path) : ContentsMap(m, path);
        _pathMaps.Add((path, made));
        return made;
    }

    private static bool Under(string path, string section) =>
        path.StartsWith(section, StringComparison.Ordinal) && (path.Length == section.Length || path[section.Length] is '.' or '[');

    /// <summary>The header alone, its length field filled with the whole message's (§6.3.2).</summary>
    private FieldNode HeaderMap(ReloadMessage m, string path)
    {
        var w = new WireWriter(64, FieldValues.SegmentsOf(path));
        var length = m.Header.Write(w);
        w.Fill(length, Encoded.Length);
        return w.FieldMap!;
    }

    /// <summary>MessageContents alone (§6.3.3), moved to where it starts in the whole message.</summary>
    private FieldNode ContentsMap(ReloadMessage m, string path)
    {
        if (_headerLength < 0)
        {
            var header = new WireWriter(64);
            m.Header.Write(header);
            _headerLength = header.Position;
        }
        var w = new WireWriter(256, FieldValues.SegmentsOf(path));
        m.Contents.Write(w);
        var map = w.FieldMap!;
        // A plain walk: Descendants() nests an iterator per level, which cost more than the map itself.
        var pending = new Stack<FieldNode>();
        pending.Push(map);
        while (pending.TryPop(out var node))
            foreach (var child in node.ChildrenOrEmpty)
            {
                child.Offset += _headerLength;
                pending.Push(child);
            }
        return map;
    }

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
