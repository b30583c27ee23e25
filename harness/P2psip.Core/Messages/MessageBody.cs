using P2psip.Wire;

namespace P2psip.Messages;

/// <summary>
/// The structure carried in MessageContents.message_body, chosen by message_code (§6.3.3):
/// one sealed record per request and answer, <see cref="ErrorResponse"/>, or <see cref="OpaqueBody"/>
/// for codes this codec does not interpret.
/// </summary>
public abstract record MessageBody
{
    /// <summary>The message_code that carries this body.</summary>
    public abstract ushort Code { get; }

    /// <summary>The field name of the body in paths and dumps: the RFC's code name, e.g. <c>store_req</c>.</summary>
    public virtual string FieldName => MessageCodes.NameOf(Code) ?? "body";

    internal abstract void WriteFields(WireWriter w);

    internal void Write(WireWriter w)
    {
        w.Begin(FieldName);
        WriteFields(w);
        w.End();
    }
}

/// <summary>The body of a message code this codec does not interpret, kept byte for byte.</summary>
public sealed record OpaqueBody(ushort MessageCode, Opaque Bytes) : MessageBody
{
    public override ushort Code => MessageCode;
    internal override void WriteFields(WireWriter w) => w.Bytes("bytes", Bytes.Span);
}
