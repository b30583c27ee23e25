namespace P2psip.Cli;

/// <summary>
/// The words of an exception for a one-line message: its message and those of its inner exceptions
/// (never "see inner exception" without the inner one), without .NET type names or a repeated path.
/// </summary>
internal static class Errors
{
    public static string Reason(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            var text = Clean(current.Message);
            if (text.Length == 0 || text.Contains("inner exception", StringComparison.OrdinalIgnoreCase) && current.InnerException is not null) continue;
            if (parts.Any(p => p.Contains(text, StringComparison.Ordinal))) continue;
            parts.Add(text);
        }
        return parts.Count == 0 ? e.GetType().Name : string.Join(": ", parts);
    }

    /// <summary>.NET appends " : 'path'" to I/O messages and ends sentences with a period; the caller names the path.</summary>
    private static string Clean(string message)
    {
        var text = message.Trim();
        int quoted = text.IndexOf(" : '", StringComparison.Ordinal);
        if (quoted > 0 && text.EndsWith('\'')) text = text[..quoted];
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\s*\(Parameter '[^']*'\)", "");
        text = text.TrimEnd('.');
        return text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }
}
