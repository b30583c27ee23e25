namespace P2psip.Tests.Wire;

/// <summary>
/// A whole message written by hand from the layouts of RFC 6940 §6.3.2–§6.3.4, in pieces so that
/// rejection vectors can change one field at a time.
/// </summary>
internal static class MessageVectors
{
    public const string Token = "d2454c4f";
    public const string Overlay = "12345678";
    public const string ConfigSeq = "0001";
    public const string Version = "0a";
    public const string Ttl = "64";
    public const string Fragment = "c0000000";
    public const string TxId = "0102030405060708";
    public const string MaxResponse = "00000000";
    /// <summary>One node destination: type node(1), length 16, Node-ID 00..0f.</summary>
    public const string NodeDest = "01 10 000102030405060708090a0b0c0d0e0f";
    /// <summary>message_code error, message_body (4 bytes): Error_Not_Found, empty error_info; no extensions.</summary>
    public const string ErrorContents = "ffff 00000004 0003 0000 00000000";
    /// <summary>No certificates; algorithm none/anonymous; identity none (length 0); empty signature_value.</summary>
    public const string UnsignedSecurity = "0000 00 00 03 0000 0000";

    /// <summary>Builds a message with the total length computed from the parts (or forced).</summary>
    public static string Message(
        string token = Token, string version = Version, string fragment = Fragment,
        string via = "", string destinations = NodeDest, string options = "",
        string contents = ErrorContents, string security = UnsignedSecurity, string trailer = "",
        int? length = null, int? viaLength = null, int? destinationLength = null, int? optionsLength = null)
    {
        int vl = Hex.Bytes(via).Length, dl = Hex.Bytes(destinations).Length, ol = Hex.Bytes(options).Length;
        int total = 38 + vl + dl + ol + Hex.Bytes(contents).Length + Hex.Bytes(security).Length + Hex.Bytes(trailer).Length;
        return string.Join(" ",
            token, Overlay, ConfigSeq, version, Ttl, fragment, (length ?? total).ToString("x8"),
            TxId, MaxResponse, (viaLength ?? vl).ToString("x4"), (destinationLength ?? dl).ToString("x4"), (optionsLength ?? ol).ToString("x4"),
            via, destinations, options, contents, security, trailer);
    }
}
