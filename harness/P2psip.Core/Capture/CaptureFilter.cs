using System.Globalization;
using P2psip.Messages;

namespace P2psip.Capture;

/// <summary>
/// Selects messages of a capture by message code, error code, Node-ID or transaction id. Syntax:
/// <code>
///   filter := clause { "and" clause }
///   clause := key ("=" | "!=") value { "," value }      any of the values (=), none of them (!=)
///   key    := code | error | node | txid
/// </code>
/// <c>code</c> takes RFC names (<c>store_req</c>, <c>error</c>; §14.8) or numbers, and <c>ack</c> for
/// framing ACKs; <c>error</c> takes error names with or without <c>Error_</c> (§14.9) or numbers;
/// <c>node</c> a Node-ID in hex (a prefix of at least 2 digits), matched against every node entry of
/// the via and destination lists (§6.3.2); <c>txid</c> a transaction id, 0x-hex or decimal. Example:
/// <c>code=store_req,fetch_req and node=a1b2</c>. Skipped-byte reports are never filtered out.
/// </summary>
public sealed class CaptureFilter
{
    private readonly IReadOnlyList<Clause> _clauses;

    private CaptureFilter(IReadOnlyList<Clause> clauses, string text)
    {
        _clauses = clauses;
        Text = text;
    }

    public string Text { get; }

    /// <summary>What a message offers a filter; null where the message did not decode that far.</summary>
    public readonly record struct Facts(bool IsAck, ushort? Code, ushort? ErrorCode, ulong? TransactionId, IReadOnlyList<byte[]>? NodeIds);

    private enum Key { Code, Error, Node, TransactionId }

    private sealed record Clause(Key Key, bool Negated, ulong[] Numbers, byte[][] Prefixes, bool MatchesAck);

    /// <exception cref="FormatException">One line saying what is wrong and what is expected.</exception>
    public static CaptureFilter Parse(string text)
    {
        var words = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) throw new FormatException("empty filter (give e.g. code=store_req, error=Not_Found, node=a1b2, txid=0x1234)");
        var clauses = new List<Clause>();
        for (int i = 0; i < words.Length; i++)
        {
            if (i % 2 == 1)
            {
                if (!words[i].Equals("and", StringComparison.OrdinalIgnoreCase))
                    throw new FormatException($"expected 'and' between clauses, got '{words[i]}'");
                if (i == words.Length - 1) throw new FormatException("a clause must follow 'and'");
                continue;
            }
            clauses.Add(ParseClause(words[i]));
        }
        return new CaptureFilter(clauses, text);
    }

    private static Clause ParseClause(string word)
    {
        int eq = word.IndexOf('=');
        if (eq <= 0) throw new FormatException($"'{word}' is not KEY=VALUE (keys: code, error, node, txid)");
        bool negated = word[eq - 1] == '!';
        string keyText = word[..(negated ? eq - 1 : eq)];
        var values = word[(eq + 1)..].Split(',');
        if (values.Any(v => v.Length == 0)) throw new FormatException($"'{word}': empty value");
        Key key = keyText.ToLowerInvariant() switch
        {
            "code" => Key.Code,
            "error" => Key.Error,
            "node" => Key.Node,
            "txid" => Key.TransactionId,
            _ => throw new FormatException($"unknown key '{keyText}' (keys: code, error, node, txid)"),
        };
        var numbers = new List<ulong>();
        var prefixes = new List<byte[]>();
        bool ack = false;
        foreach (var value in values)
        {
            switch (key)
            {
                case Key.Code when value.Equals("ack", StringComparison.OrdinalIgnoreCase):
                    ack = true;
                    break;
                case Key.Code:
                    numbers.Add(NumberOrName(value, 0xffff, n => MessageCodes.NameOf(n), "message code", "store_req"));
                    break;
                case Key.Error:
                    numbers.Add(NumberOrName(value, 0xffff, n => ErrorCodes.NameOf(n), "error code", "Not_Found",
                        n => ErrorCodes.NameOf(n) is { } name && name.StartsWith("Error_", StringComparison.Ordinal) ? name["Error_".Length..] : null));
                    break;
                case Key.Node:
                    prefixes.Add(NodePrefix(value));
                    break;
                case Key.TransactionId:
                    numbers.Add(Number(value, ulong.MaxValue) ?? throw new FormatException($"txid '{value}' is not a number (0x-hex or decimal)"));
                    break;
            }
        }
        return new Clause(key, negated, [.. numbers], [.. prefixes], ack);
    }

    private static ulong NumberOrName(string value, ulong max, Func<ulong, string?> nameOf, string what, string example, Func<ulong, string?>? alias = null)
    {
        if (Number(value, max) is { } n) return n;
        for (ulong code = 0; code <= max; code++)
        {
            if (string.Equals(nameOf(code), value, StringComparison.OrdinalIgnoreCase)
                || (alias is not null && string.Equals(alias(code), value, StringComparison.OrdinalIgnoreCase)))
                return code;
        }
        throw new FormatException($"unknown {what} '{value}' (give an RFC 6940 name such as {example}, or a number)");
    }

    private static ulong? Number(string value, ulong max)
    {
        bool ok = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var n)
            : ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out n);
        if (!ok) return null;
        if (n > max) throw new FormatException($"{value} is above the largest value {max}");
        return n;
    }

    private static byte[] NodePrefix(string value)
    {
        var hex = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? value[2..] : value;
        if (hex.Length < 2 || hex.Length % 2 != 0 || !hex.All(Uri.IsHexDigit))
            throw new FormatException($"node '{value}' is not a Node-ID in hex (an even number of digits, at least 2)");
        return Convert.FromHexString(hex);
    }

    public bool Matches(in Facts facts)
    {
        foreach (var clause in _clauses)
            if (Holds(clause, facts) == clause.Negated) return false;
        return true;
    }

    private static bool Holds(Clause clause, in Facts facts)
    {
        switch (clause.Key)
        {
            case Key.Code:
                if (facts.IsAck) return clause.MatchesAck;
                return facts.Code is { } code && Array.IndexOf(clause.Numbers, code) >= 0;
            case Key.Error:
                return facts.ErrorCode is { } error && Array.IndexOf(clause.Numbers, error) >= 0;
            case Key.TransactionId:
                return facts.TransactionId is { } id && Array.IndexOf(clause.Numbers, id) >= 0;
            default:
                if (facts.NodeIds is null) return false;
                foreach (var node in facts.NodeIds)
                    foreach (var prefix in clause.Prefixes)
                        if (node.AsSpan().StartsWith(prefix)) return true;
                return false;
        }
    }

    public override string ToString() => Text;
}
