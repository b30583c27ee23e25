using P2psip.Messages.Security;

namespace P2psip.Messages;

/// <summary>A whole RELOAD message (§6.3): forwarding header, message contents, security block.</summary>
public sealed record ReloadMessage(ForwardingHeader Header, MessageContents Contents, SecurityBlock Security)
{
    public ReloadMessage(ForwardingHeader header, MessageBody body)
        : this(header, new MessageContents(body), SecurityBlock.Unsigned) { }

    public MessageBody Body => Contents.Body;
    public ushort MessageCode => Contents.MessageCode;

    public override string ToString() =>
        $"{MessageCodes.NameOf(MessageCode) ?? $"code 0x{MessageCode:x4}"} txid 0x{Header.TransactionId:x16}";
}
