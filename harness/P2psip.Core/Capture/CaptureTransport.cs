namespace P2psip.Capture;

/// <summary>How a framed RELOAD message travelled in a capture (§6.6: a stream or datagrams).</summary>
public enum CaptureTransport
{
    Tcp,
    Udp,
}
