namespace P2psip.Messages.Security;

internal static class Signatures
{
    internal const string Rfc = "6.3.4";
}
