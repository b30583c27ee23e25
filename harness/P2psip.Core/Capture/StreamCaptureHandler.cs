using System.Net;
using P2psip.Links;

namespace P2psip.Capture;

/// <summary>
/// Capture as a link pipeline handler that writes through a <see cref="PcapStreamWriter"/>: each
/// message that passes, either way, goes to the file at once, with the link's real addresses and the
/// time it passed (stream links as a TCP connection, DTLS links as UDP datagrams, the listening side
/// as port 6084 so Wireshark's reload-framing dissector needs no settings). Nothing is held per
/// message, so a peer running for days does not grow. One handler per link; links share the writer.
/// </summary>
public sealed class StreamCaptureHandler(PcapStreamWriter writer) : ILinkHandler
{
    private CaptureLink? _link;
    private LinkRole _role;

    public void Attached(LinkContext context)
    {
        var info = context.Link;
        _role = info.Role;
        var local = info.LocalAddress ?? new IPEndPoint(PcapCaptureWriter.DefaultClientAddress, 0);
        var remote = info.RemoteAddress ?? new IPEndPoint(PcapCaptureWriter.DefaultServerAddress, 0);
        var transport = info.Protocol.Contains("DTLS", StringComparison.OrdinalIgnoreCase) || info.Protocol.Contains("UDP", StringComparison.OrdinalIgnoreCase)
            ? CaptureTransport.Udp : CaptureTransport.Tcp;
        var link = _role == LinkRole.Initiator ? new CaptureLink(local, remote, transport) : new CaptureLink(remote, local, transport);
        _link = link;
        context.LinkClosing.Register(() =>
        {
            try { writer.Close(link, DateTimeOffset.UtcNow); }
            catch (ObjectDisposedException) { }
        });
    }

    public ValueTask HandleAsync(LinkMessage message, LinkContext context)
    {
        // Outbound from the initiator, or inbound to the acceptor, goes to the server (the RELOAD port).
        bool toServer = (message.Direction == LinkDirection.Outbound) == (_role == LinkRole.Initiator);
        if (_link is { } link)
        {
            try { writer.Write(link, toServer ? FlowDirection.ToServer : FlowDirection.ToClient, DateTimeOffset.UtcNow, message.Bytes.Span); }
            catch (Exception e) when (e is ObjectDisposedException or ArgumentException) { } // the capture ended, or a message too large for a frame
        }
        return context.ForwardAsync(message);
    }
}
