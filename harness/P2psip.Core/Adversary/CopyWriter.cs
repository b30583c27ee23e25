using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// Writes a working copy as bytes with its signature treatment (§6.3.4): keep the signature as it
/// was (a changed message then fails verification), strip it, or sign again as a harness identity
/// over the bytes as changed — also when the change leaves the message undecodable, by signing the
/// edited overlay, transaction_id and MessageContents bytes as they are written.
/// </summary>
internal sealed class CopyWriter(IReadOnlyDictionary<string, Identity> identities)
{
    public byte[] Write(WorkingCopy copy, byte[] original, List<string> notes)
    {
        byte[] bytes;
        if (copy.Model is null)
        {
            if (copy.Signature.Mode != SignatureMode.Keep) notes.Add($"{copy.Signature}: the message does not decode; signature left as it was");
            bytes = copy.Raw ?? original;
        }
        else if (copy.Unchanged && copy.Raw is not null) bytes = copy.Raw;
        else bytes = copy.Signature.Mode switch
        {
            SignatureMode.Strip => ReloadCodec.Encode(copy.Model with { Security = copy.Model.Security with { Signature = Signature.Unsigned } }, copy.Edits),
            SignatureMode.Resign => Resign(copy.Model, copy.Edits, Identity(copy.Signature.As)),
            _ => ReloadCodec.Encode(copy.Model, copy.Edits),
        };
        foreach (var splice in copy.RawSplices)
        {
            int at = Math.Clamp(splice.Offset, 0, bytes.Length);
            int delete = Math.Clamp(splice.Delete, 0, bytes.Length - at);
            bytes = [.. bytes[..at], .. splice.Bytes.Span, .. bytes[(at + delete)..]];
        }
        return bytes;
    }

    public Identity Identity(string? name) =>
        name is not null && identities.TryGetValue(name, out var identity) ? identity
        : throw new ArgumentException($"no harness identity named '{name}' to sign as");

    private static byte[] Resign(ReloadMessage model, WireEdits edits, Identity identity)
    {
        if (edits.IsEmpty) return ReloadCodec.Encode(MessageSigner.Sign(model, identity));
        var edited = ReloadCodec.Encode(model, edits);
        if (ReloadCodec.Decode(edited).Value is { } decoded) return ReloadCodec.Encode(MessageSigner.Sign(decoded, identity));

        // Undecodable after the edits: sign the edited bytes themselves, then write the same edits
        // with the new security block (it comes after everything the signature covers).
        var map = ReloadCodec.FieldMap(model, edits);
        var signer = MessageSigner.IdentityFor(identity);
        var w = new WireWriter(64);
        signer.Write(w);
        var input = new List<byte>();
        foreach (var path in new[] { "forwarding_header.overlay", "forwarding_header.transaction_id", "message_contents" })
            if (map.Find(path) is { } node) input.AddRange(FieldValues.BytesOf(node, edited));
        input.AddRange(w.ToArray());
        var algorithm = SignatureAlgorithms.For(identity.PrivateKey);
        var value = SignatureAlgorithms.Sign(identity.PrivateKey, algorithm, input.ToArray());
        ValueList<GenericCertificate> bucket = [.. model.Security.Certificates, GenericCertificate.OfX509(identity.Certificate.Der)];
        return ReloadCodec.Encode(model with { Security = new SecurityBlock(bucket, new Signature(algorithm, signer, value)) }, edits);
    }
}
