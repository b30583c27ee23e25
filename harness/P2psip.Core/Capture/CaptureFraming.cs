namespace P2psip.Capture;

/// <summary>How a RELOAD message travels in a stream or datagram.</summary>
public enum CaptureFraming
{
    /// <summary>In a framing header (§6.6.2): DATA carries a message, ACK acknowledges one.</summary>
    Framed,
    /// <summary>Bare, starting with the RELO token, delimited by the forwarding header's length (draft-era peers).</summary>
    Unframed,
}
