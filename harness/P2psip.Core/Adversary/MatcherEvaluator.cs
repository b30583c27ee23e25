using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>Whether a <see cref="Matcher"/> holds for a message. Pure: no state, no randomness.</summary>
internal sealed class MatcherEvaluator(NodeResolver nodes)
{
    public bool Matches(Matcher m, MessageView v)
    {
        if (m.Direction is { } d && v.Message.Direction != d) return false;
        if (m.Decodable is { } decodable && (v.Decoded is not null) != decodable) return false;
        if (m.Class is { } c)
        {
            if (v.Decoded is null) return false;
            var code = v.Decoded.MessageCode;
            bool isRequest = MessageCodes.IsRequest(code);
            bool isResponse = MessageCodes.IsAnswer(code) || code == MessageCodes.Error;
            if (c == MessageClass.Request ? !isRequest : !isResponse) return false;
        }
        if (m.Codes is { } codes && (v.Decoded is null || !codes.Contains(v.Decoded.MessageCode))) return false;
        if (m.Remote is { } remote && !Is(remote, v.Message.RemoteNodeId)) return false;
        if (m.Local is { } local && !Is(local, v.Message.LocalNodeId)) return false;
        if (m.Source is { } source && !Is(source, v.Source)) return false;
        if (m.Destination is { } destination && !Is(destination, v.FirstDestination)) return false;
        if (m.KindIds is { } kinds && !v.KindIds().Any(kinds.Contains)) return false;
        if (m.Fields is { } fields && !fields.All(f => Holds(f, v))) return false;
        if (m.All is { } all && !all.All(x => Matches(x, v))) return false;
        if (m.Any is { } any && !any.Any(x => Matches(x, v))) return false;
        if (m.Not is { } not && Matches(not, v)) return false;
        return true;
    }

    private bool Is(string reference, Opaque id) => nodes.TryResolve(reference, out var wanted) && wanted == id;

    private static bool Holds(FieldTest test, MessageView v)
    {
        if (v.Decoded is { } m && HeaderFieldTests.TryDecide(test, m, v.Encoded.Length, out var holds)) return holds;
        return HoldsOnMap(test, v);
    }

    /// <summary>The test decided on the field map (the part of it the path names).</summary>
    internal static bool HoldsOnMap(FieldTest test, MessageView v)
    {
        if (v.FieldMapFor(test.Path) is not { } map) return test.Op == CompareOp.Absent;
        var found = FieldValues.Select(map, test.Path).ToList();
        if (test.Op == CompareOp.Exists) return found.Count > 0;
        if (test.Op == CompareOp.Absent) return found.Count == 0;
        var encoded = v.Encoded;
        return found.Any(node => Compare(node, test, encoded));
    }

    private static bool Compare(FieldNode node, FieldTest test, byte[] encoded)
    {
        var value = test.Value ?? "";
        if (FieldValues.IsInteger(node))
        {
            if (test.Op == CompareOp.Contains)
                return node.Meaning?.Contains(value, StringComparison.OrdinalIgnoreCase) == true;
            int order;
            if (FieldValues.TryNumber(value, out var number)) order = node.Value.CompareTo(number);
            else if (node.Meaning is { } meaning && test.Op is CompareOp.Eq or CompareOp.Ne)
                order = string.Equals(meaning, value, StringComparison.OrdinalIgnoreCase) ? 0 : 1;
            else return false;
            return Ordered(test.Op, order);
        }
        if (!NodeResolver.TryHex(value, out var wanted) && value.Length > 0) return false;
        var bytes = node.Kind == FieldKind.Bytes && node.Bytes.Length == node.Length ? node.Bytes.ToArray() : FieldValues.BytesOf(node, encoded);
        if (test.Op == CompareOp.Contains) return Contains(bytes, wanted.Span);
        int cmp = test.Op is CompareOp.Eq or CompareOp.Ne
            ? (bytes.AsSpan().SequenceEqual(wanted.Span) ? 0 : 1)
            : FieldValues.AsNumber(bytes).CompareTo(FieldValues.AsNumber(wanted.Span));
        return Ordered(test.Op, cmp);
    }

    internal static bool Ordered(CompareOp op, int order) => op switch
    {
        CompareOp.Eq => order == 0,
        CompareOp.Ne => order != 0,
        CompareOp.Lt => order < 0,
        CompareOp.Le => order <= 0,
        CompareOp.Gt => order > 0,
        CompareOp.Ge => order >= 0,
        _ => false,
    };

    private static bool Contains(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) =>
        needle.Length == 0 || haystack.IndexOf(needle) >= 0;
}
