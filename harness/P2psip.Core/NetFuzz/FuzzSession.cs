using System.Security.Cryptography;
using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.NetFuzz;

/// <summary>
/// One message of a session as planned: which party sends it, the valid message it starts from
/// (unsigned: signatures are made when it is sent), and the damage done to it.
/// </summary>
public sealed record PlannedMessage(int Party, string Label, ReloadMessage Template, IReadOnlyList<FuzzEdit> Edits)
{
    /// <summary>The edits as the encoder takes them (a new set each time: encoding marks them used).</summary>
    public WireEdits WireEdits()
    {
        var edits = new WireEdits();
        foreach (var e in Edits) e.AddTo(edits);
        return edits;
    }

    /// <summary>The template with its edits, unsigned: the deterministic part of what is sent.</summary>
    public byte[] TemplateBytes() => ReloadCodec.Encode(Template, WireEdits());
}

/// <summary>
/// A fuzz case: a short session from the harness parties to the SUT. Its digest is SHA-256 over
/// every message's party and unsigned, mutated bytes in order: everything sent except the
/// signatures and certificates, which are fresh ECDSA values every run (lab keys are new each time).
/// </summary>
public sealed record FuzzSession(FuzzCaseId Id, IReadOnlyList<PlannedMessage> Messages, IReadOnlyList<string> Mutations)
{
    public string Digest()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var m in Messages)
        {
            sha.AppendData([(byte)m.Party]);
            sha.AppendData(m.TemplateBytes());
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
