using P2psip.Messages;
using P2psip.Tests.Wire;

namespace P2psip.Tests.Links;

internal static class LinkTestMessages
{
    /// <summary>A whole encoded RELOAD message whose transaction id is <paramref name="n"/>.</summary>
    public static byte[] Numbered(int n)
    {
        var m = MessageRoundTripTests.Sample(ErrorResponse.Of(ErrorCodes.NotFound, $"message {n}"));
        return ReloadCodec.Encode(m with { Header = m.Header with { TransactionId = (ulong)n } });
    }

    public static ulong TransactionId(ReadOnlyMemory<byte> message) => ReloadCodec.Decode(message).GetValueOrThrow().Header.TransactionId;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
}
