using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using P2psip.Links;

namespace P2psip.Adversary;

/// <summary>
/// One line of the decision log: when (the caller's run time), which message (position, direction,
/// code, a digest of its bytes), which rule fired and what it did, with every random draw, so that
/// a run can be replayed and compared line by line.
/// </summary>
public sealed record DecisionRecord(TimeSpan Time, long Position, LinkDirection Direction, string Digest, string? Code,
    int? Rule, string? RuleName, IReadOnlyList<string> Actions, IReadOnlyList<RandomDraw> Draws,
    IReadOnlyList<string> Effects, IReadOnlyList<string> Notes)
{
    private string? _digest = Digest;
    private readonly byte[]? _digestOf;

    /// <summary>The first 8 bytes of the SHA-256 of the message, in hex; when made from <see cref="DigestOf"/>, hashed when first read.</summary>
    public string Digest
    {
        get => _digest ??= Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(_digestOf ?? []).AsSpan(0, 8));
        init => _digest = value;
    }

    /// <summary>The message's bytes, hashed only if the digest is read (a log that writes nothing never hashes).</summary>
    internal byte[]? DigestOf { init => _digestOf = value; }

    /// <summary>The record as one JSON object, fields always in the same order.</summary>
    public string ToJsonLine()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("t_ms", Math.Round(Time.TotalMilliseconds, 3));
            w.WriteNumber("position", Position);
            w.WriteString("direction", Direction == LinkDirection.Inbound ? "inbound" : "outbound");
            w.WriteString("digest", Digest);
            if (Code is null) w.WriteNull("code"); else w.WriteString("code", Code);
            if (Rule is { } r) w.WriteNumber("rule", r); else w.WriteNull("rule");
            if (RuleName is null) w.WriteNull("rule_name"); else w.WriteString("rule_name", RuleName);
            WriteStrings(w, "actions", Actions);
            w.WriteStartArray("draws");
            foreach (var d in Draws)
            {
                w.WriteStartObject();
                w.WriteString("use", d.Use);
                w.WriteString("value", d.Value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WriteStrings(w, "effects", Effects);
            WriteStrings(w, "notes", Notes);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"#{Position} {Code ?? "undecodable"} rule {(Rule is { } r ? r.ToString(CultureInfo.InvariantCulture) : "-")}: {string.Join(", ", Effects)}");
}
