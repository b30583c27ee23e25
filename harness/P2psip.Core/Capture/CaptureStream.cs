namespace P2psip.Capture;

/// <summary>
/// One direction of a TCP connection, or one UDP source/destination pair, to or from a RELOAD port:
/// what every item found in it refers to. The label is made once per stream, not per message.
/// </summary>
public sealed class CaptureStream
{
    internal CaptureStream(int id, CaptureTransport transport, CaptureEndpoint source, CaptureEndpoint destination, FlowDirection direction)
    {
        Id = id;
        Transport = transport;
        Source = source;
        Destination = destination;
        Direction = direction;
        SourceText = source.ToString();
        DestinationText = destination.ToString();
        Label = $"{Transport.ToString().ToLowerInvariant()} {SourceText} -> {DestinationText}";
    }

    /// <summary>1-based, in the order streams first appear in the capture.</summary>
    public int Id { get; }
    public CaptureTransport Transport { get; }
    public CaptureEndpoint Source { get; }
    public CaptureEndpoint Destination { get; }
    public FlowDirection Direction { get; }
    public string SourceText { get; }
    public string DestinationText { get; }
    /// <summary>e.g. <c>tcp 192.0.2.1:49152 -> 192.0.2.2:6084</c>.</summary>
    public string Label { get; }

    /// <summary>How the stream's first message was carried: framed (§6.6.2) or bare, as draft-era peers send.</summary>
    public CaptureFraming? Framing { get; internal set; }
    public long Messages { get; internal set; }
    public long SkippedBytes { get; internal set; }
    public int SkippedRuns { get; internal set; }

    public override string ToString() => Label;
}
