using P2psip.Links;
using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>Requests (odd codes) or responses (even codes and error, §6.3.3).</summary>
public enum MessageClass
{
    Request,
    Response,
}

/// <summary>
/// Which messages a rule applies to, over the reassembled, decoded message and the link's metadata.
/// Every condition that is set must hold (an implicit "all"); <see cref="All"/>, <see cref="Any"/>
/// and <see cref="Not"/> combine matchers. An empty matcher matches every message. Nodes are named
/// by a scenario node, an identity, or a Node-ID in hex.
/// </summary>
public sealed record Matcher
{
    /// <summary>Seen from the link end the adversary sits on.</summary>
    public LinkDirection? Direction { get; init; }
    public MessageClass? Class { get; init; }
    /// <summary>Any of these message codes (§14.8).</summary>
    public ValueList<ushort>? Codes { get; init; }
    /// <summary>The link's far end, and its own end.</summary>
    public string? Remote { get; init; }
    public string? Local { get; init; }
    /// <summary>The message's originator: the first Via entry, or the link end that sent it when the Via list is empty (§6.3.2.2).</summary>
    public string? Source { get; init; }
    /// <summary>The first Destination List entry: a node, or a Resource-ID in hex.</summary>
    public string? Destination { get; init; }
    /// <summary>Any of these Kind-IDs appears in the body (store, fetch, stat, find).</summary>
    public ValueList<uint>? KindIds { get; init; }
    /// <summary>Tests on fields of the field map; all must hold.</summary>
    public ValueList<FieldTest>? Fields { get; init; }
    /// <summary>Whether the bytes decode as a RELOAD message.</summary>
    public bool? Decodable { get; init; }
    public ValueList<Matcher>? All { get; init; }
    public ValueList<Matcher>? Any { get; init; }
    public Matcher? Not { get; init; }

    public static Matcher Everything { get; } = new();
    public static Matcher Inbound { get; } = new() { Direction = LinkDirection.Inbound };
    public static Matcher Outbound { get; } = new() { Direction = LinkDirection.Outbound };
    public static Matcher Requests { get; } = new() { Class = MessageClass.Request };
    public static Matcher Responses { get; } = new() { Class = MessageClass.Response };
    public static Matcher Code(params ushort[] codes) => new() { Codes = codes };
    public static Matcher Kind(params uint[] kinds) => new() { KindIds = kinds };
    public static Matcher FromNode(string node) => new() { Source = node };
    public static Matcher ToNode(string node) => new() { Destination = node };
    public static Matcher RemoteIs(string node) => new() { Remote = node };
    public static Matcher Field(string path, CompareOp op, string? value = null) => new() { Fields = [new FieldTest(path, op, value)] };

    public static Matcher operator &(Matcher a, Matcher b) => new() { All = [a, b] };
    public static Matcher operator |(Matcher a, Matcher b) => new() { Any = [a, b] };
    public static Matcher operator !(Matcher a) => new() { Not = a };
}

/// <summary>How a field test compares the field with its value.</summary>
public enum CompareOp
{
    Eq, Ne, Lt, Le, Gt, Ge,
    /// <summary>Bytes: the hex value occurs at a byte boundary; names: the text occurs in the field's meaning.</summary>
    Contains,
    /// <summary>The path names a field of this message (no value).</summary>
    Exists,
    /// <summary>The path names no field of this message (no value).</summary>
    Absent,
}

/// <summary>
/// One test on the field map (<see cref="ReloadCodec.FieldMap"/>): a path as in <see cref="FieldPaths"/>,
/// where <c>[*]</c> stands for any list element, and a value: a number (decimal or 0x hex) for
/// integer fields, which may also be named by their meaning (<c>store_req</c>, <c>node</c>); hex for
/// byte fields and structures (compared as unsigned big-endian numbers by lt/gt). Holds when any
/// field the path names passes.
/// </summary>
public sealed record FieldTest(string Path, CompareOp Op, string? Value = null);
