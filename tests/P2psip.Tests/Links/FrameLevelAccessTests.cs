using System.Net;
using P2psip.Framing;
using P2psip.Links;
using P2psip.Tests.Security;

namespace P2psip.Tests.Links;

/// <summary>
/// Issue 11, seam 2: frame-level access for the framing cases (§6.6.2, §6.6.3, §6.6.5). A harness end
/// writes frames and bytes of its choosing over a real TLS link to a reference link end and reads
/// the frames that come back.
/// </summary>
[Trait("Category", TestCategory.Live)]
public class FrameLevelAccessTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static async Task<(StreamLink Harness, StreamLink Reference, Func<ValueTask> Close)> TlsPair()
    {
        var listener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), new LinkSecurity(Pki.Bob, Pki.Validator));
        var accepting = listener.AcceptAsync();
        var harness = await TlsLinks.ConnectAsync(listener.LocalEndpoint, new LinkSecurity(Pki.Alice, Pki.Validator));
        var reference = await accepting.WaitAsync(LinkTestMessages.Timeout);
        harness.Frames.ObserveFrames(); // before the harness end starts, so no frame is missed
        return (harness, reference, async () => { await harness.DisposeAsync(); await reference.DisposeAsync(); await listener.DisposeAsync(); });
    }

    private static async Task<FramedMessage> NextFrame(StreamLink link) =>
        (await link.Frames.ReceiveFrameAsync().WaitAsync(LinkTestMessages.Timeout))!;

    private static async Task<ulong> Next(StreamLink link) =>
        LinkTestMessages.TransactionId((await link.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout))!.Value);

    [Fact]
    public async Task DATA_frames_with_chosen_sequence_numbers_get_ACKs_with_the_received_bitmask()
    {
        var (harness, reference, close) = await TlsPair();
        try
        {
            await harness.Frames.SendDataAsync(1000, LinkTestMessages.Numbered(1));
            await harness.Frames.SendDataAsync(1001, LinkTestMessages.Numbered(2));
            await harness.Frames.SendDataAsync(1003, LinkTestMessages.Numbered(3));
            var got = new List<ulong>();
            for (int i = 0; i < 3; i++) got.Add(await Next(reference));
            Assert.Equal([1ul, 2ul, 3ul], got);
            // §6.6.2: bit N-M set for each M received among the last 32 before N.
            Assert.Equal(new AckFrame(1000, 0), await NextFrame(harness));
            Assert.Equal(new AckFrame(1001, 1u << 1), await NextFrame(harness));
            Assert.Equal(new AckFrame(1003, (1u << 2) | (1u << 3)), await NextFrame(harness));
        }
        finally { await close(); }
    }

    [Fact]
    public async Task A_relay_end_answers_each_DATA_frame_of_one_read_with_its_own_ACK_in_order()
    {
        // The relay path (AckAfterDelivery) writes the ACKs of one read together (issue 8): still one per DATA frame (§6.6.2).
        var (harness, reference, close) = await TlsPair();
        try
        {
            reference.Frames.AckAfterDelivery = true;
            var together = new List<byte>();
            for (uint i = 0; i < 5; i++) together.AddRange(new DataFrame(2000 + i, LinkTestMessages.Numbered((int)i + 1)).Encode());
            await harness.Frames.SendRawAsync(together.ToArray());
            var got = new List<ulong>();
            for (int i = 0; i < 5; i++) got.Add(await Next(reference));
            Assert.Equal([1ul, 2ul, 3ul, 4ul, 5ul], got);
            uint mask = 0;
            for (uint i = 0; i < 5; i++)
            {
                Assert.Equal(new AckFrame(2000 + i, mask), await NextFrame(harness));
                mask = (mask << 1) | 1u << 1;
            }
        }
        finally { await close(); }
    }

    [Fact]
    public async Task A_frame_written_as_raw_bytes_in_pieces_is_reassembled_by_the_reference()
    {
        var (harness, reference, close) = await TlsPair();
        try
        {
            var frame = new DataFrame(7, LinkTestMessages.Numbered(9)).Encode();
            await harness.Frames.SendRawAsync(frame.AsMemory(0, 3));
            await harness.Frames.SendRawAsync(frame.AsMemory(3, 10));
            await harness.Frames.SendRawAsync(frame.AsMemory(13));
            Assert.Equal(9ul, await Next(reference));
            Assert.Equal(new AckFrame(7, 0), await NextFrame(harness));
        }
        finally { await close(); }
    }

    [Fact]
    public async Task ACKs_can_be_suppressed_and_forged()
    {
        var (harness, reference, close) = await TlsPair();
        try
        {
            harness.Frames.AutoAck = false;
            await reference.SendAsync(LinkTestMessages.Numbered(1));
            Assert.Equal(1ul, await Next(harness));
            Assert.IsType<DataFrame>(await NextFrame(harness));
            // A message sent after it arrives after any ACK the harness would have sent for it (one stream, in order).
            await harness.SendAsync(LinkTestMessages.Numbered(2));
            Assert.Equal(2ul, await Next(reference));
            Assert.Equal(0, reference.AcksReceived);
            await harness.Frames.SendAckAsync(0xDEADBEEF, 0xFFFF_FFFF); // an ACK of nothing the reference sent
            await Eventually.WaitUntil(() => reference.AcksReceived == 1, "the forged ACK counted");
        }
        finally { await close(); }
    }

    [Fact]
    public async Task The_frames_the_far_end_sends_are_observed_with_their_sequence_numbers_across_the_wrap()
    {
        var (harness, reference, close) = await TlsPair();
        try
        {
            reference.Frames.NextSequence = uint.MaxValue;
            await reference.SendAsync(LinkTestMessages.Numbered(1));
            await reference.SendAsync(LinkTestMessages.Numbered(2));
            var first = Assert.IsType<DataFrame>(await NextFrame(harness));
            var second = Assert.IsType<DataFrame>(await NextFrame(harness));
            Assert.Equal(uint.MaxValue, first.Sequence);
            Assert.Equal(0u, second.Sequence);
            Assert.Equal(1ul, LinkTestMessages.TransactionId(first.Message.Memory));
            await Eventually.WaitUntil(() => reference.AcksReceived == 2, "two ACKs");
        }
        finally { await close(); }
    }

    [Fact]
    public async Task A_frame_of_unknown_type_ends_the_reference_link_with_the_reason()
    {
        var (harness, reference, close) = await TlsPair();
        try
        {
            await harness.Frames.SendRawAsync(new byte[] { 0x7F, 0, 0, 0, 1 });
            Assert.Null(await reference.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout));
            Assert.Contains("framed message type must be data(128) or ack(129), got 127", reference.Failure);
        }
        finally { await close(); }
    }
}
