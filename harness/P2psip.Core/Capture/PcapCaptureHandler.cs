using P2psip.Links;

namespace P2psip.Capture;

/// <summary>
/// Capture as a link pipeline handler (DESIGN.md §6): each message that passes, either way, is
/// written to <paramref name="writer"/> as a DATA frame on one TCP flow per link to port 6084, the
/// link's initiator as the client, so tshark's reload-framing dissector decodes it with no
/// settings. Put on with <c>link.Pipeline.Add</c> (nearest the wire, after the adversary: what is
/// written is what crossed the link) or, for every link of a peer, <c>AddHandler(_ =&gt; new PcapCaptureHandler(writer))</c>.
/// One handler per link; links may share the writer.
/// </summary>
public sealed class PcapCaptureHandler(PcapCaptureWriter writer) : ILinkHandler
{
    private PcapTcpFlow? _flow;
    private LinkRole _role;

    public void Attached(LinkContext context)
    {
        _role = context.Link.Role;
        lock (writer) _flow = writer.OpenTcpFlow();
    }

    public ValueTask HandleAsync(LinkMessage message, LinkContext context)
    {
        // Outbound from the initiator, or inbound to the acceptor, goes to the server (the RELOAD port).
        bool toServer = (message.Direction == LinkDirection.Outbound) == (_role == LinkRole.Initiator);
        lock (writer) _flow?.SendMessage(message.Bytes.Span, toServer ? FlowDirection.ToServer : FlowDirection.ToClient);
        return context.ForwardAsync(message);
    }
}
