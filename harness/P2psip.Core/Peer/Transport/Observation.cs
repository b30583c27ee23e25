using P2psip.Wire;

namespace P2psip.Peer.Transport;

/// <summary>
/// What one admission step did to one message: the step (and so the defence), the message's
/// transaction id and code (0 when the bytes did not decode that far), the link it came on, and why.
/// </summary>
public sealed record Observation(DateTimeOffset At, AdmissionStep Step, ulong TransactionId, ushort MessageCode, Opaque PreviousHop, string Reason)
{
    public string? Defence => Step.Defence;

    public override string ToString() =>
        $"{At:HH:mm:ss.fff} {Step.Name}: txid 0x{TransactionId:x16} {Messages.MessageCodes.NameOf(MessageCode) ?? $"code 0x{MessageCode:x4}"}: {Reason}";
}
