using P2psip.Messages;

namespace P2psip.Conformance.Probe;

/// <summary>How a wait for the SUT's answer ended.</summary>
public enum ProbeReplyKind
{
    /// <summary>A message that decodes and answers the request (same transaction id).</summary>
    Answer,
    /// <summary>Nothing arrived before the deadline.</summary>
    Timeout,
    /// <summary>The SUT closed or reset the link.</summary>
    Closed,
    /// <summary>Bytes arrived that do not decode as RELOAD.</summary>
    Undecodable,
    /// <summary>A decodable answer, but with another transaction id than the request's (PC-4).</summary>
    WrongTransactionId,
}

/// <summary>The SUT's reply to one request, as the probe saw it.</summary>
public sealed record ProbeReply(ProbeReplyKind Kind, ReloadMessage? Message, byte[]? Bytes, string Detail)
{
    public bool IsAnswer => Kind == ProbeReplyKind.Answer;

    /// <summary>The answer's error code, when it is an error response.</summary>
    public ushort? ErrorCode => (Message?.Body as ErrorResponse)?.ErrorCode;

    /// <summary>Whether the answer is the error response named.</summary>
    public bool IsError(ushort code) => ErrorCode == code;

    /// <summary>Whether the SUT refused in any way: an error response, closing the link, or silence.</summary>
    public bool IsRefusal => Kind is ProbeReplyKind.Timeout or ProbeReplyKind.Closed || ErrorCode is not null;

    public override string ToString() => Kind switch
    {
        ProbeReplyKind.Answer when Message!.Body is ErrorResponse e =>
            e.ErrorInfo.Length == 0 ? e.ErrorName : $"{e.ErrorName} ({Printable(e.ErrorInfo.Span)})",
        ProbeReplyKind.Answer => MessageCodes.NameOf(Message!.MessageCode) ?? $"code 0x{Message.MessageCode:x4}",
        _ => $"{Kind.ToString().ToLowerInvariant()}: {Detail}",
    };

    /// <summary>error_info as text when it is printable UTF-8, else as hex (it is the SUT's bytes).</summary>
    private static string Printable(ReadOnlySpan<byte> info)
    {
        var text = System.Text.Encoding.UTF8.GetString(info);
        return text.All(ch => !char.IsControl(ch) && ch != '\uFFFD') ? $"\"{text}\"" : "error_info 0x" + Convert.ToHexStringLower(info);
    }
}
