using P2psip.Framing;
using P2psip.Wire;

namespace P2psip.Capture;

/// <summary>
/// Reads the RELOAD frames of a pcap or pcapng file as whole records: a thin view over the streaming
/// <see cref="ReloadCaptureDecoder"/> (one reader of captures in the harness), for callers that want
/// each message copied out with its endpoints rather than a buffer slice. Framed DATA and ACK frames
/// (§6.6.2) become <see cref="DataFrame"/> and <see cref="AckFrame"/>; an unframed message (a
/// draft-era peer's) becomes a <see cref="DataFrame"/> marked <see cref="CaptureFraming.Unframed"/>;
/// bytes that could not be parsed become a record with an <see cref="PcapReloadRecord.Error"/>, and
/// decoding goes on behind them. The file is opened by the constructor, so a missing or non-pcap file
/// fails there.
/// </summary>
public sealed class PcapReloadReader : IDisposable
{
    private readonly PcapFileReader _file;
    private readonly ReloadCaptureDecoder _decoder;

    /// <exception cref="CaptureFileException">The file is missing, unreadable or not a capture.</exception>
    public PcapReloadReader(string path, ushort port = PcapCaptureWriter.ReloadPort)
    {
        Path = path;
        Port = port;
        _file = PcapFileReader.Open(path);
        _decoder = new ReloadCaptureDecoder(_file, port);
    }

    public string Path { get; }
    public ushort Port { get; }

    /// <summary>Reads every record of a capture.</summary>
    public static IReadOnlyList<PcapReloadRecord> ReadAll(string path, ushort port = PcapCaptureWriter.ReloadPort)
    {
        using var reader = new PcapReloadReader(path, port);
        return reader.Records().ToList();
    }

    /// <summary>The records in the order their last byte appears in the capture. Can be enumerated once.</summary>
    /// <exception cref="CaptureFileException">The file is cut short or otherwise breaks off.</exception>
    public IEnumerable<PcapReloadRecord> Records()
    {
        foreach (var item in _decoder.Items())
        {
            var stream = item.Stream;
            var (frame, error) = item.Kind switch
            {
                CaptureItemKind.Message => ((FramedMessage?)new DataFrame(item.Sequence, item.Message.ToArray()), (DecodeError?)null),
                CaptureItemKind.Ack => (new AckFrame(item.Sequence, item.Received), null),
                _ => (null, new DecodeError("framed_message", (int)Math.Min(item.StreamOffset, int.MaxValue),
                    $"{item.SkippedBytes} bytes skipped: {item.Reason}", "6.6.2")),
            };
            yield return new PcapReloadRecord(item.FrameNumber, item.Timestamp, stream.Transport,
                stream.Source.ToIPEndPoint(), stream.Destination.ToIPEndPoint(), stream.Direction, frame, error)
            {
                Framing = item.Framing,
            };
        }
    }

    public void Dispose() => _file.Dispose();
}
