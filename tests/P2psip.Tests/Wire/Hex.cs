namespace P2psip.Tests.Wire;

/// <summary>Hex test vectors written with spaces and comments-as-separators ("d2454c4f | 12345678").</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) =>
        Convert.FromHexString(new string(hex.Where(Uri.IsHexDigit).ToArray()));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
