using P2psip.Wire;

namespace P2psip.Messages;

/// <summary>
/// The second part of a message (§6.3.3). message_code is the body's <see cref="MessageBody.Code"/>.
/// <code>
///   struct { uint16 message_code; opaque message_body&lt;0..2^32-1&gt;; MessageExtension extensions&lt;0..2^32-1&gt;; } MessageContents;
/// </code>
/// </summary>
public sealed record MessageContents(MessageBody Body)
{
    internal const string Rfc = "6.3.3";

    public ValueList<MessageExtension> Extensions { get; init; } = ValueList<MessageExtension>.Empty;

    public ushort MessageCode => Body.Code;

    internal void Write(WireWriter w)
    {
        w.Begin("message_contents");
        w.U16("message_code", Body.Code, FieldKind.Code, MessageCodes.NameOf);
        w.BeginVector("message_body", 4);
        Body.Write(w);
        w.EndVector();
        w.BeginVector("extensions", 4, isList: true);
        foreach (var extension in Extensions)
        {
            w.BeginElement();
            extension.Write(w);
            w.End();
        }
        w.EndVector();
        w.End();
    }

    internal static bool TryRead(ref WireReader r, out MessageContents value)
    {
        value = null!;
        int at = r.Position;
        if (!r.U16("message_code", Rfc, out var code)) return r.Nest("message_contents");
        if (code == MessageCodes.Invalid)
            return r.Reject("message_code", at, "the value 0 is invalidMessageCode", "14.8") || r.Nest("message_contents");
        // §6.3.3: 0x8000 through 0xFFFE are reserved; only 0xFFFF (error) lives up there.
        if (MessageCodes.IsReserved(code))
            return r.Reject("message_code", at, $"0x{code:x4} is in the reserved range 0x8000-0xfffe", Rfc) || r.Nest("message_contents");
        if (!r.Enter("message_body", 4, Rfc, out var saved)) return r.Nest("message_contents");
        if (!MessageBodies.TryRead(code, ref r, out var body))
            return r.Nest(MessageCodes.NameOf(code) ?? "body") || r.Nest("message_body") || r.Nest("message_contents");
        if (!r.Leave("message_body", saved, Rfc)) return r.Nest("message_contents");
        if (!r.Enter("extensions", 4, Rfc, out saved)
            || !r.List<MessageExtension>("extensions", Rfc, MessageExtension.TryRead, out var extensions)
            || !r.Leave("extensions", saved, Rfc))
            return r.Nest("message_contents");
        value = new MessageContents(body) { Extensions = extensions };
        return true;
    }
}
