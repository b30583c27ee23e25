using P2psip.Messages;

namespace P2psip.Replay;

/// <summary>
/// One request found in a capture and the answer the capture holds for it (same transaction id,
/// §6.3.2), if any. <see cref="Sender"/> names the stream it came from, so that each captured sender
/// is replayed on a link of its own.
/// </summary>
public sealed record CapturedExchange(
    int Index,
    int FrameNumber,
    long TimestampMicros,
    string Sender,
    ReloadMessage Request,
    ReloadMessage? Answer)
{
    public string Name => MessageCodes.NameOf(Request.MessageCode) ?? $"code 0x{Request.MessageCode:x4}";
}
