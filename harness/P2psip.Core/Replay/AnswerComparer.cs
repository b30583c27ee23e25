using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Replay;

/// <summary>
/// Compares a replayed answer with the captured one structurally, over the codec's field map of the
/// message contents (§6.3.3: message code and body, so an error response's code and info too). Not
/// compared, since they differ between any two runs: the forwarding header (transaction id,
/// overlay, Via and Destination lists, §6.3.2), the security block and every signature (§6.3.4,
/// §7.1), times (storage_time, Ping's time and response_id, uptime) and length fields (they follow
/// the signatures' sizes; a real content change shows in the content). A Node-ID of a captured
/// responder in the captured answer matches the target's Node-ID in the replayed one.
/// </summary>
public sealed class AnswerComparer(IReadOnlySet<Opaque> capturedResponders, Opaque targetNodeId)
{
    private static readonly HashSet<string> IgnoredNames = ["storage_time", "time", "response_id", "uptime", "length"];

    /// <summary>The paths of the fields that differ (empty when the answers are the same), e.g. <c>message_contents.message_code</c>.</summary>
    public IReadOnlyList<string> Differences(ReloadMessage captured, ReloadMessage replayed)
    {
        var expected = Leaves(captured);
        var actual = Leaves(replayed);
        var paths = new List<string>();
        foreach (var (path, field) in expected)
        {
            if (!actual.TryGetValue(path, out var other)) paths.Add(path);
            else if (!Same(field, other)) paths.Add(path);
        }
        paths.AddRange(actual.Keys.Where(p => !expected.ContainsKey(p)));
        return paths;
    }

    private bool Same(FieldNode captured, FieldNode replayed)
    {
        if (captured.Value != replayed.Value) return false;
        if (captured.Bytes == replayed.Bytes) return true;
        return capturedResponders.Contains(captured.Bytes) && replayed.Bytes == targetNodeId;
    }

    private static Dictionary<string, FieldNode> Leaves(ReloadMessage message)
    {
        var map = ReloadCodec.FieldMap(message);
        var contents = map.Children.FirstOrDefault(c => c.Name == "message_contents");
        var leaves = new Dictionary<string, FieldNode>(StringComparer.Ordinal);
        if (contents is not null) Collect(contents, leaves);
        return leaves;
    }

    private static void Collect(FieldNode node, Dictionary<string, FieldNode> leaves)
    {
        if (IsIgnored(node.Name)) return;
        if (node.ChildrenOrEmpty.Count == 0)
        {
            leaves[node.Path] = node;
            return;
        }
        foreach (var child in node.ChildrenOrEmpty) Collect(child, leaves);
    }

    private static bool IsIgnored(string name) =>
        IgnoredNames.Contains(name) || name.EndsWith("_length", StringComparison.Ordinal) || name.StartsWith("signature", StringComparison.Ordinal) ||
        name == "security_block";
}
