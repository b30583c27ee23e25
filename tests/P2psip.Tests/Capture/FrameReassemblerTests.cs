using P2psip.Framing;
using P2psip.Wire;

namespace P2psip.Tests.Capture;

public class FrameReassemblerTests
{
    /// <summary>Three DATA frames of different sizes and an ACK, back to back as on a stream.</summary>
    private static readonly FramedMessage[] Frames =
    [
        new DataFrame(1, Opaque.FromHex("d2454c4f01")),
        new AckFrame(1, 0),
        new DataFrame(2, new byte[300]),
        new DataFrame(3, Opaque.Empty),
    ];

    private static byte[] Stream() => Frames.SelectMany(f => f.Encode()).ToArray();

    [Fact]
    public void Frames_fed_one_byte_at_a_time_come_out_whole_and_in_order()
    {
        var reassembler = new FrameReassembler();
        var output = new List<FramedMessage>();
        foreach (var b in Stream()) output.AddRange(reassembler.Push([b]));
        Assert.Equal(Frames, output);
        Assert.Null(reassembler.Error);
        Assert.Equal(0, reassembler.Buffered);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(42)]
    [InlineData(6940)]
    public void Frames_fed_in_random_chunks_come_out_whole_and_in_order(int seed)
    {
        var random = new Random(seed);
        var stream = Stream();
        var reassembler = new FrameReassembler();
        var output = new List<FramedMessage>();
        int at = 0;
        while (at < stream.Length)
        {
            int take = Math.Min(stream.Length - at, random.Next(0, 40));
            output.AddRange(reassembler.Push(stream.AsSpan(at, take)));
            at += take;
        }
        Assert.Equal(Frames, output);
        Assert.Null(reassembler.Error);
    }

    [Fact]
    public void All_frames_in_one_chunk_come_out_together()
    {
        var reassembler = new FrameReassembler();
        Assert.Equal(Frames, reassembler.Push(Stream()));
    }

    [Fact]
    public void A_bad_type_byte_stops_the_stream_with_its_offset()
    {
        var first = Frames[0].Encode();
        var stream = first.Concat(new byte[] { 0x7f, 0, 0, 0, 1, 0, 0, 0, 0 }).Concat(Frames[1].Encode()).ToArray();
        var reassembler = new FrameReassembler();
        var output = new List<FramedMessage>();
        foreach (var b in stream) output.AddRange(reassembler.Push([b]));
        Assert.Equal([Frames[0]], output);
        Assert.NotNull(reassembler.Error);
        Assert.Equal("framed_message.type", reassembler.Error!.FieldPath);
        Assert.Equal(first.Length, reassembler.Error.Offset);
        Assert.Empty(reassembler.Push(Frames[1].Encode()));
    }

    [Fact]
    public void A_declared_length_above_the_maximum_is_refused_before_buffering()
    {
        var reassembler = new FrameReassembler(maxMessageSize: 100);
        Assert.Empty(reassembler.Push(Convert.FromHexString("8000000001000065")));
        Assert.Equal("framed_message.message.length", reassembler.Error!.FieldPath);
        Assert.Equal(5, reassembler.Error.Offset);
    }
}
