using P2psip.Messages;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.Transport;

/// <summary>A request delivered to this peer, with what the transport learned about its sender, and the way to answer it.</summary>
public sealed class IncomingRequest
{
    private readonly Action<IncomingRequest, MessageBody> _reply;

    internal IncomingRequest(ReloadMessage message, IReadOnlyList<Opaque> via, Opaque previousHop, SignatureCheck? signature,
        Action<IncomingRequest, MessageBody> reply)
    {
        Message = message;
        Via = via;
        PreviousHop = previousHop;
        Signature = signature;
        _reply = reply;
    }

    public ReloadMessage Message { get; }
    public MessageBody Body => Message.Body;

    /// <summary>The path back: the request's Via List plus the link it came on (§6.1.2); empty when sent to ourselves.</summary>
    public IReadOnlyList<Opaque> Via { get; }

    /// <summary>The Node-ID of the link it arrived on; empty when sent to ourselves.</summary>
    public Opaque PreviousHop { get; }

    /// <summary>The Node-ID that originated the request (§6.1.2).</summary>
    public Opaque Origin => Via.Count > 0 ? Via[0] : Opaque.Empty;

    /// <summary>Whether it came straight over the link from its origin (no forwarders).</summary>
    public bool Direct => Via.Count == 1;

    /// <summary>The verified signature, or null when the message-signatures defence is off.</summary>
    public SignatureCheck? Signature { get; }

    public bool Answered { get; private set; }

    /// <summary>Sends the answer back along the reversed Via List (§6.2.2); only the first call counts.</summary>
    public void Reply(MessageBody answer)
    {
        if (Answered) return;
        Answered = true;
        _reply(this, answer);
    }
}
