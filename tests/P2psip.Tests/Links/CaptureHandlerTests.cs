using P2psip.Capture;
using P2psip.Links;
using P2psip.Tests.Security;

namespace P2psip.Tests.Links;

public class CaptureHandlerTests
{
    [Fact]
    public async Task A_capture_handler_on_a_link_writes_each_message_each_way_to_the_pcap()
    {
        var path = Path.Combine(Path.GetTempPath(), $"links-capture-{Guid.NewGuid():N}.pcap");
        try
        {
            var pki = TestPki.Shared;
            var (a, b) = InMemoryLink.CreatePair(pki.Alice, pki.Bob);
            using (var writer = PcapStreamWriter.Create(path))
            {
                a.Pipeline.Add(new StreamCaptureHandler(writer));
                // The adversary nearer the owner: the capture records what it changed.
                a.Pipeline.AddFirst(new LinkHandler((m, ctx) =>
                    ctx.ForwardAsync(m.Direction == LinkDirection.Outbound ? m with { Bytes = LinkTestMessages.Numbered(40) } : m)));
                a.Start();
                b.Start();
                await a.SendAsync(LinkTestMessages.Numbered(1));
                Assert.Equal(40ul, LinkTestMessages.TransactionId((await b.ReceiveAsync())!.Value));
                await b.SendAsync(LinkTestMessages.Numbered(2));
                Assert.Equal(2ul, LinkTestMessages.TransactionId((await a.ReceiveAsync())!.Value));
                await a.DisposeAsync();
            }
            var records = PcapReloadReader.ReadAll(path).Where(r => r.Frame is P2psip.Framing.DataFrame).ToList();
            Assert.Equal([(FlowDirection.ToServer, 40ul), (FlowDirection.ToClient, 2ul)],
                records.Select(r => (r.Direction, LinkTestMessages.TransactionId(((P2psip.Framing.DataFrame)r.Frame!).Message.Memory))));
        }
        finally { File.Delete(path); }
    }
}
