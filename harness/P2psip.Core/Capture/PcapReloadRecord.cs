using System.Net;
using P2psip.Framing;
using P2psip.Wire;

namespace P2psip.Capture;

/// <summary>
/// One framed RELOAD message found in a capture, or the error that stopped a stream or datagram
/// from decoding. <see cref="FrameNumber"/> is 1-based like Wireshark's, and names the packet that
/// completed the frame.
/// </summary>
public sealed record PcapReloadRecord(
    int FrameNumber,
    DateTimeOffset Timestamp,
    CaptureTransport Transport,
    IPEndPoint Source,
    IPEndPoint Destination,
    FlowDirection Direction,
    FramedMessage? Frame,
    DecodeError? Error)
{
    public bool IsValid => Frame is not null;

    /// <summary>Whether the message came in a DATA frame or unframed (an unframed message's DataFrame has sequence 0).</summary>
    public CaptureFraming Framing { get; init; } = CaptureFraming.Framed;

    public override string ToString() =>
        $"frame {FrameNumber} {Transport.ToString().ToLowerInvariant()} {Source} -> {Destination}: {(Frame is not null ? Frame.ToString() : $"invalid: {Error}")}";
}
