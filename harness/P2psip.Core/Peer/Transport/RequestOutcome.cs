using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Peer.Transport;

/// <summary>
/// How a request this peer sent ended: the answer (which may be an <see cref="ErrorResponse"/>
/// from the overlay), or a local error (Error_Request_Timeout after the last retransmission,
/// §6.2.1) with no message.
/// </summary>
public sealed record RequestOutcome(MessageBody Body, ReloadMessage? Response, Opaque Responder, int Hops)
{
    public bool IsError => Body is ErrorResponse;
    public ushort? ErrorCode => (Body as ErrorResponse)?.ErrorCode;

    /// <summary>Whether the error was made by this peer (no answer came).</summary>
    public bool IsLocal => Response is null;

    public static RequestOutcome Local(ushort errorCode, string info) => new(ErrorResponse.Of(errorCode, info), null, Opaque.Empty, 0);

    public override string ToString() => IsError
        ? $"{((ErrorResponse)Body).ErrorName}{(IsLocal ? " (local)" : $" from {Responder.ToHex()}")}: {System.Text.Encoding.UTF8.GetString(((ErrorResponse)Body).ErrorInfo.Span)}"
        : $"{MessageCodes.NameOf(Body.Code)} from {Responder.ToHex()} in {Hops} hops";
}
