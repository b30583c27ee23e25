using P2psip.Wire;

namespace P2psip.Messages;

/// <summary>
/// The body of message_code 0xffff (§6.3.3.1):
/// <code>  public struct { uint16 error_code; opaque error_info&lt;0..2^16-1&gt;; } ErrorResponse;</code>
/// </summary>
public sealed record ErrorResponse(ushort ErrorCode, Opaque ErrorInfo) : MessageBody
{
    internal const string Rfc = "6.3.3.1";

    public override ushort Code => MessageCodes.Error;

    public string ErrorName => ErrorCodes.NameOf(ErrorCode) ?? $"error {ErrorCode}";

    public static ErrorResponse Of(ushort code, string info) => new(code, Opaque.Utf8(info));

    internal override void WriteFields(WireWriter w)
    {
        w.U16("error_code", ErrorCode, FieldKind.Code, ErrorCodes.NameOf);
        w.Vector("error_info", 2, ErrorInfo.Span);
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        int at = r.Position;
        if (!r.U16("error_code", Rfc, out var code)) return false;
        if (code == ErrorCodes.Invalid) return r.Reject("error_code", at, "the value 0 is invalidErrorCode", "14.9");
        if (!r.Vector("error_info", 2, Rfc, out var info)) return false;
        value = new ErrorResponse(code, info);
        return true;
    }
}
