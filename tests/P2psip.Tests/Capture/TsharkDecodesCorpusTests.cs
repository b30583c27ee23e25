using P2psip.Capture;
using P2psip.Corpus;
using P2psip.Framing;
using P2psip.Messages;

namespace P2psip.Tests.Capture;

/// <summary>
/// An independent check: Wireshark's RELOAD dissectors (tshark, Debian package) must decode every
/// seed of the corpus written by <see cref="PcapCaptureWriter"/>, with no settings (port 6084).
/// </summary>
[Trait("Category", TestCategory.ExternalTool)]
public class TsharkDecodesCorpusTests
{
    /// <summary>PI_ERROR in Wireshark's expert info severities.</summary>
    private const long ErrorSeverity = 0x00800000;

    /// <summary>tshark 4.0 reports SignerIdentity type none(3) as unknown (a false alarm, see DESIGN.md).</summary>
    private const string KnownFalseAlarm = "Unknown identity type";

    private static (string Path, int DataFrames) WriteCorpusCapture()
    {
        var path = CaptureSamples.TempPath(".pcap");
        var seeds = SeedCorpus.All();
        using var writer = new PcapCaptureWriter(path);
        var flow = writer.OpenTcpFlow();
        foreach (var (_, bytes) in seeds)
        {
            var direction = MessageCodes.IsRequest(ReloadCodec.Decode(bytes).GetValueOrThrow().MessageCode) ? FlowDirection.ToServer : FlowDirection.ToClient;
            flow.SendMessage(bytes, direction);
            flow.SendAck(direction == FlowDirection.ToServer ? FlowDirection.ToClient : FlowDirection.ToServer);
        }
        // The ACK seed last: tshark decodes an ACK only once the connection has carried DATA.
        var ack = (AckFrame)FramedMessage.Decode(SeedCorpus.AckSeed()).GetValueOrThrow();
        flow.SendFrame(ack, FlowDirection.ToClient);
        flow.Close();
        return (path, seeds.Count);
    }

    [Fact]
    public void Every_data_frame_has_a_message_code_and_nothing_is_malformed_or_in_error()
    {
        var (path, dataFrames) = WriteCorpusCapture();
        var (exit, output, error) = ExternalTool.Run("tshark", ["-r", path, "-T", "fields",
            "-e", "frame.number", "-e", "reload_framing.type", "-e", "reload.message.code",
            "-e", "_ws.malformed", "-e", "_ws.expert.severity", "-e", "_ws.expert.message",
            "-E", "aggregator=|", "-E", "occurrence=a"]);
        Assert.True(exit == 0, $"tshark exit {exit}: {error}");

        int dataSeen = 0, acksSeen = 0;
        var problems = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.TrimEnd('\r').Split('\t');
            string frame = f[0], types = f[1], codes = f[2], malformed = f[3], severities = f[4], messages = f[5];
            var typeList = Split(types);
            int data = typeList.Count(t => t == "128");
            dataSeen += data;
            acksSeen += typeList.Count(t => t == "129");
            if (data > 0 && Split(codes).Length != data) problems.Add($"frame {frame}: {data} DATA frames but message codes '{codes}'");
            if (malformed.Length > 0) problems.Add($"frame {frame}: malformed");
            var severityList = Split(severities);
            var messageList = Split(messages);
            for (int i = 0; i < severityList.Length; i++)
            {
                if (long.Parse(severityList[i]) < ErrorSeverity) continue;
                var message = i < messageList.Length ? messageList[i] : "";
                if (message != KnownFalseAlarm) problems.Add($"frame {frame}: expert error '{message}'");
            }
        }
        Assert.Empty(problems);
        Assert.Equal(dataFrames, dataSeen);
        Assert.Equal(dataFrames + 1, acksSeen);
    }

    [Fact]
    public void The_verbose_dissection_shows_no_malformed_packet()
    {
        var (path, dataFrames) = WriteCorpusCapture();
        var (exit, output, error) = ExternalTool.Run("tshark", ["-r", path, "-V"]);
        Assert.True(exit == 0, $"tshark exit {exit}: {error}");
        Assert.DoesNotContain("Malformed Packet", output);
        Assert.Equal(dataFrames, CountOf(output, "REsource LOcation And Discovery Framing: DATA"));
        var errors = output.Split('\n').Where(l => l.Contains("[Expert Info (Error", StringComparison.Ordinal)).ToList();
        Assert.All(errors, l => Assert.Contains(KnownFalseAlarm, l));
    }

    private static string[] Split(string field) => field.Length == 0 ? [] : field.Split('|');

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
