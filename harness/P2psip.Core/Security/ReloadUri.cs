namespace P2psip.Security;

/// <summary>
/// The RELOAD URI of a peer (§14.15), as enrollment puts it in a certificate's subjectAltName (§11.3):
/// <code>  RELOAD-URI = "reload://" destination "@" overlay "/" [specifier]</code>
/// where destination is the hex of a Destination List with one node_id entry: type node(1), a
/// one-byte length, the Node-ID (§6.3.2.2).
/// </summary>
public static class ReloadUri
{
    public const string Scheme = "reload://";

    public static string ForNode(ReadOnlySpan<byte> nodeId, string overlay) =>
        $"{Scheme}01{nodeId.Length:x2}{Convert.ToHexStringLower(nodeId)}@{overlay}/";

    /// <summary>
    /// Reads the Node-ID and overlay of a peer URI. Also takes a bare hex Node-ID as the destination,
    /// which some implementations write, when it has a legal Node-ID length (16..20 bytes).
    /// </summary>
    public static bool TryParseNode(string uri, out byte[] nodeId, out string overlay)
    {
        nodeId = [];
        overlay = "";
        if (!uri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var rest = uri[Scheme.Length..];
        int at = rest.IndexOf('@');
        if (at <= 0 || !rest.EndsWith('/')) return false;
        var destination = rest[..at];
        overlay = rest[(at + 1)..^1];
        if (overlay.Length == 0 || overlay.Contains('/') || destination.Length % 2 != 0) return false;
        if (!destination.All(Uri.IsHexDigit)) return false;
        var bytes = Convert.FromHexString(destination);
        if (bytes.Length >= 2 && bytes[0] == 1 && bytes[1] == bytes.Length - 2 && bytes[1] is >= 16 and <= 20)
        {
            nodeId = bytes[2..];
            return true;
        }
        if (bytes.Length is >= 16 and <= 20)
        {
            nodeId = bytes;
            return true;
        }
        return false;
    }
}
