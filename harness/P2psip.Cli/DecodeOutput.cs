using System.Globalization;
using System.Text;
using System.Text.Json;
using P2psip.Capture;
using P2psip.Framing;
using P2psip.Messages;
using P2psip.Wire.Rendering;

namespace P2psip.Cli;

/// <summary>
/// Prints decoded inputs: a dump per input (a heading, the frame's fields, the message's fields,
/// a blank line), or with JSON one object per line. An invalid input is one line either way.
/// </summary>
internal sealed class DecodeOutput(TextWriter output, bool json)
{
    public void Write(DecodedInput input, PcapReloadRecord? record = null)
    {
        if (json) WriteJson(input, record);
        else WriteText(input, record);
    }

    private void WriteText(DecodedInput input, PcapReloadRecord? record)
    {
        if (!input.IsValid)
        {
            output.WriteLine(input.InvalidLine);
            return;
        }
        var heading = new StringBuilder("== ").Append(input.Source);
        if (record is not null)
            heading.Append(CultureInfo.InvariantCulture,
                $" {record.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ} {record.Transport.ToString().ToLowerInvariant()} {record.Source} -> {record.Destination}");
        heading.Append(": ").Append(Summary(input));
        output.WriteLine(heading.ToString());
        if (input.Frame is not null) output.Write(MessageDump.ToText(FramedMessage.FieldMap(input.Frame)));
        if (input.Message is not null) output.Write(MessageDump.ToText(ReloadCodec.FieldMap(input.Message)));
        output.WriteLine();
    }

    private static string Summary(DecodedInput input) => (input.Frame, input.Message) switch
    {
        (AckFrame ack, _) => $"framed ack of sequence {ack.AckSequence}",
        (DataFrame data, { } message) => $"framed data sequence {data.Sequence}: {message}",
        (_, { } message) => message.ToString(),
        _ => "",
    };

    private void WriteJson(DecodedInput input, PcapReloadRecord? record)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, MessageJson.Options()))
        {
            json.WriteStartObject();
            json.WriteString("source", input.Source);
            if (record is not null)
            {
                json.WriteNumber("frame_number", record.FrameNumber);
                json.WriteString("time", record.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
                json.WriteString("transport", record.Transport.ToString().ToLowerInvariant());
                json.WriteString("src", record.Source.ToString());
                json.WriteString("dst", record.Destination.ToString());
            }
            if (input.Error is { } error)
            {
                json.WriteStartObject("invalid");
                json.WriteString("field_path", error.FieldPath);
                json.WriteNumber("offset", error.Offset);
                json.WriteString("reason", error.Reason);
                json.WriteString("rfc_section", error.RfcSection);
                json.WriteString("text", error.ToString());
                json.WriteEndObject();
            }
            if (input.Frame is not null)
            {
                json.WritePropertyName("frame");
                MessageJson.Write(FramedMessage.FieldMap(input.Frame), json);
            }
            if (input.Message is not null)
            {
                json.WritePropertyName("message");
                MessageJson.Write(ReloadCodec.FieldMap(input.Message), json);
            }
            json.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
