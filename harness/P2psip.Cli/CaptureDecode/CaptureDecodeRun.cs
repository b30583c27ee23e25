using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using P2psip.Capture;
using P2psip.Framing;
using P2psip.Messages;
using P2psip.Wire;
using P2psip.Wire.Rendering;

namespace P2psip.Cli.CaptureDecode;

/// <summary>How <c>decode --pcap</c> prints what it finds.</summary>
internal enum CaptureOutputMode
{
    /// <summary>A heading per item and the message's field tree.</summary>
    Dump,
    /// <summary>One JSON object per line; 64-bit integers as strings.</summary>
    Json,
    /// <summary>One line per item, like tshark's default: frame, time, src → dst, code, transaction id, length, verdict.</summary>
    Summary,
}

/// <summary>
/// <c>p2psip decode --pcap</c>: streams a capture through <see cref="ReloadCaptureDecoder"/>, decodes
/// each message strictly (§6.3), keeps those the filter selects and prints them. Every run of bytes
/// that could not be parsed is printed where it occurs (stream, count, reason) whatever the filter,
/// and totalled per stream on standard error at the end.
/// </summary>
internal sealed class CaptureDecodeRun(string path, CaptureOutputMode mode, CaptureFilter? filter)
{
    private static ReadOnlySpan<byte> Arrow => " \u2192 "u8;

    public long Shown { get; private set; }
    public long Invalid { get; private set; }
    public long Skipped { get; private set; }

    /// <summary>Runs to the end of the capture; returns false when anything was invalid or skipped.</summary>
    /// <exception cref="CaptureFileException">The file breaks off or is damaged: what came before has been printed.</exception>
    public bool Run(PcapFileReader reader, ReloadCaptureDecoder decoder, TextWriter output, TextWriter error)
    {
        var streamsWithSkips = new List<CaptureStream>();
        var seen = new HashSet<CaptureStream>();
        long? firstTime = null;
        using var sink = Utf8Output.For(output);
        using var json = mode == CaptureOutputMode.Json ? new Utf8JsonWriter(sink, MessageJson.Options()) : null;
        try
        {
            foreach (var item in decoder.Items())
            {
                firstTime ??= reader.FirstTimestampMicros ?? item.TimestampMicros;
                if (item.Kind == CaptureItemKind.Skipped)
                {
                    Skipped++;
                    if (seen.Add(item.Stream)) streamsWithSkips.Add(item.Stream);
                    Print(sink, json, item, default, firstTime.Value);
                    continue;
                }
                var decoded = item.Kind == CaptureItemKind.Message ? ReloadCodec.Decode(item.Message) : default;
                if (filter is not null && !filter.Matches(FactsOf(item, decoded))) continue;
                if (item.Kind == CaptureItemKind.Message && !decoded.IsSuccess) Invalid++;
                Print(sink, json, item, decoded, firstTime.Value);
            }
        }
        finally
        {
            sink.Flush();
        }
        foreach (var stream in streamsWithSkips)
            error.WriteLine($"p2psip: {path}: {stream.Label}: {stream.SkippedBytes} bytes not parsed in {stream.SkippedRuns} run{(stream.SkippedRuns == 1 ? "" : "s")} ({stream.Messages} messages decoded in the stream)");
        // A capture with nothing to decode is a negative result (exit 1), said in one line (issue 14).
        if (decoder.Messages + decoder.Acks + decoder.SkippedRuns == 0)
        {
            error.WriteLine($"p2psip: {path}: no RELOAD frames or messages in {reader.PacketsRead} packets");
            return false;
        }
        return Invalid == 0 && Skipped == 0;
    }

    private void Print(Utf8Output sink, Utf8JsonWriter? json, CaptureItem item, DecodeResult<ReloadMessage> decoded, long firstTime)
    {
        Shown++;
        switch (mode)
        {
            case CaptureOutputMode.Summary: Summary(sink, item, decoded, firstTime); break;
            case CaptureOutputMode.Json: Json(sink, json!, item, decoded); break;
            default: Dump(sink, item, decoded); break;
        }
    }

    private static void Summary(Utf8Output o, CaptureItem item, DecodeResult<ReloadMessage> decoded, long firstTime)
    {
        o.WriteNumber(item.FrameNumber, 7);
        o.Write((byte)' ');
        o.WriteSeconds(item.TimestampMicros - firstTime, 11);
        o.Write((byte)' ');
        o.Write(item.Stream.SourceText);
        o.Write(Arrow);
        o.Write(item.Stream.DestinationText);
        o.Write((byte)' ');
        switch (item.Kind)
        {
            case CaptureItemKind.Ack:
                o.Write("ack sequence="u8);
                o.WriteNumber(item.Sequence);
                o.Write((byte)' ');
                o.WriteNumber(FramedMessage.AckSize);
                o.Write(" ok"u8);
                break;
            case CaptureItemKind.Skipped:
                o.Write("skipped - "u8);
                o.WriteNumber(item.SkippedBytes);
                o.Write(" not parsed at stream offset "u8);
                o.WriteNumber(item.StreamOffset);
                o.Write(": "u8);
                o.Write(item.Reason!);
                break;
            default:
                var message = item.Message.Span;
                if (decoded.IsSuccess)
                {
                    var m = decoded.Value;
                    WriteCode(o, m.MessageCode, m.Body is ErrorResponse e ? e.ErrorCode : null);
                    o.Write((byte)' ');
                    o.WriteHex64(m.Header.TransactionId);
                }
                else
                {
                    var (code, errorCode) = RawCodes(item.Message);
                    if (code is { } c) WriteCode(o, c, errorCode);
                    else o.Write((byte)'?');
                    o.Write((byte)' ');
                    if (message.Length >= 28) o.WriteHex64(BinaryPrimitives.ReadUInt64BigEndian(message[20..]));
                    else o.Write((byte)'?');
                }
                o.Write((byte)' ');
                o.WriteNumber(message.Length);
                o.Write((byte)' ');
                if (decoded.IsSuccess) o.Write("ok"u8);
                else
                {
                    o.Write("invalid: "u8);
                    o.Write(decoded.Error!.ToString());
                }
                if (item.Framing == CaptureFraming.Unframed) o.Write(" (unframed)"u8);
                break;
        }
        o.Line();
    }

    private static void WriteCode(Utf8Output o, ushort code, ushort? errorCode)
    {
        if (MessageCodes.NameOf(code) is { } name) o.Write(name);
        else
        {
            o.Write("code_"u8);
            o.WriteNumber(code);
        }
        if (errorCode is { } e)
        {
            o.Write((byte)'(');
            if (ErrorCodes.NameOf(e) is { } en) o.Write(en);
            else o.WriteNumber(e);
            o.Write((byte)')');
        }
    }

    private static void Json(Utf8Output sink, Utf8JsonWriter json, CaptureItem item, DecodeResult<ReloadMessage> decoded)
    {
        json.Reset(sink);
        json.WriteStartObject();
        json.WriteNumber("frame_number"u8, item.FrameNumber);
        json.WriteString("time"u8, item.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("transport"u8, item.Stream.Transport == CaptureTransport.Tcp ? "tcp"u8 : "udp"u8);
        json.WriteString("src"u8, item.Stream.SourceText);
        json.WriteString("dst"u8, item.Stream.DestinationText);
        json.WriteNumber("stream"u8, item.Stream.Id);
        json.WriteNumber("stream_offset"u8, item.StreamOffset);
        switch (item.Kind)
        {
            case CaptureItemKind.Ack:
                json.WriteString("framing"u8, "framed"u8);
                json.WriteStartObject("ack"u8);
                json.WriteNumber("ack_sequence"u8, item.Sequence);
                json.WriteNumber("received"u8, item.Received);
                json.WriteEndObject();
                break;
            case CaptureItemKind.Skipped:
                json.WriteStartObject("skipped"u8);
                json.WriteNumber("bytes"u8, item.SkippedBytes);
                json.WriteString("reason"u8, item.Reason);
                json.WriteEndObject();
                break;
            default:
                json.WriteString("framing"u8, item.Framing == CaptureFraming.Framed ? "framed"u8 : "unframed"u8);
                if (item.Framing == CaptureFraming.Framed) json.WriteNumber("sequence"u8, item.Sequence);
                json.WriteNumber("length"u8, item.Message.Length);
                if (decoded.IsSuccess)
                {
                    json.WritePropertyName("message"u8);
                    MessageJson.Write(ReloadCodec.FieldMap(decoded.Value), json, wideIntegersAsStrings: true);
                }
                else
                {
                    var error = decoded.Error!;
                    json.WriteStartObject("invalid"u8);
                    json.WriteString("field_path"u8, error.FieldPath);
                    json.WriteNumber("offset"u8, error.Offset);
                    json.WriteString("reason"u8, error.Reason);
                    json.WriteString("rfc_section"u8, error.RfcSection);
                    json.WriteString("text"u8, error.ToString());
                    json.WriteEndObject();
                    json.WriteString("bytes"u8, Convert.ToHexString(item.Message.Span).ToLowerInvariant());
                }
                break;
        }
        json.WriteEndObject();
        json.Flush();
        sink.Line();
    }

    private void Dump(Utf8Output o, CaptureItem item, DecodeResult<ReloadMessage> decoded)
    {
        var heading = new StringBuilder();
        heading.Append(path).Append(" frame ").Append(item.FrameNumber).Append(' ')
            .Append(item.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture))
            .Append(' ').Append(item.Stream.Label).Append(": ");
        switch (item.Kind)
        {
            case CaptureItemKind.Ack:
                o.Write("== ");
                o.Write(heading.Append("framed ack of sequence ").Append(item.Sequence).Append('\n').ToString());
                o.Write(MessageDump.ToText(FramedMessage.FieldMap(new AckFrame(item.Sequence, item.Received))));
                o.Line();
                return;
            case CaptureItemKind.Skipped:
                o.Write(heading.Append(item.SkippedBytes).Append(" bytes not parsed at stream offset ").Append(item.StreamOffset)
                    .Append(": ").Append(item.Reason).Append('\n').ToString());
                return;
        }
        string framing = item.Framing == CaptureFraming.Framed ? $"framed data sequence {item.Sequence}: " : "unframed: ";
        if (!decoded.IsSuccess)
        {
            o.Write(heading.Append(framing).Append("invalid: ").Append(decoded.Error).Append('\n').ToString());
            return;
        }
        o.Write("== ");
        o.Write(heading.Append(framing).Append(decoded.Value).Append('\n').ToString());
        o.Write(MessageDump.ToText(ReloadCodec.FieldMap(decoded.Value)));
        o.Line();
    }

    /// <summary>What the filter sees: from the decoded message, or from its raw header when it did not decode.</summary>
    private static CaptureFilter.Facts FactsOf(CaptureItem item, DecodeResult<ReloadMessage> decoded)
    {
        if (item.Kind == CaptureItemKind.Ack) return new CaptureFilter.Facts(true, null, null, null, null);
        if (decoded.IsSuccess)
        {
            var m = decoded.Value;
            var nodes = new List<byte[]>();
            foreach (var d in m.Header.ViaList) if (d is NodeDestination n) nodes.Add(n.NodeId.ToArray());
            foreach (var d in m.Header.DestinationList) if (d is NodeDestination n) nodes.Add(n.NodeId.ToArray());
            return new CaptureFilter.Facts(false, m.MessageCode, (m.Body as ErrorResponse)?.ErrorCode, m.Header.TransactionId, nodes);
        }
        var (code, error) = RawCodes(item.Message);
        ulong? id = item.Message.Length >= 28 ? BinaryPrimitives.ReadUInt64BigEndian(item.Message.Span[20..]) : null;
        return new CaptureFilter.Facts(false, code, error, id, null);
    }

    /// <summary>The message code (and error code) of a message that did not decode, when its forwarding header did.</summary>
    private static (ushort? Code, ushort? Error) RawCodes(ReadOnlyMemory<byte> message)
    {
        if (!ForwardingHeaderView.TryRead(message, null, out var view, out _)) return (null, null);
        var span = message.Span;
        int at = view.ContentsOffset;
        if (span.Length < at + 2) return (null, null);
        ushort code = BinaryPrimitives.ReadUInt16BigEndian(span[at..]);
        ushort? error = code == MessageCodes.Error && span.Length >= at + 8 ? BinaryPrimitives.ReadUInt16BigEndian(span[(at + 6)..]) : null;
        return (code, error);
    }
}
