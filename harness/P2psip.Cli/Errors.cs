namespace P2psip.Cli;

/// <summary>
/// The words of an exception for a one-line message: its message and those of its inner exceptions
/// (never "see inner exception" without the inner one), without .NET type names or a repeated path.
/// </summary>
internal static partial class Errors
{
    public static string Reason(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            var text = Clean(current.Message);
            bool wrapper = IsWrapper(text) && current.InnerException is not null;
            if (wrapper) text = SeeInner().Replace(text, "");
            bool noise = wrapper && (text.Contains("error occurred", StringComparison.OrdinalIgnoreCase) || text.Contains("errors occurred", StringComparison.OrdinalIgnoreCase));
            if (text.Length > 0 && !noise && !parts.Any(p => p.Contains(text, StringComparison.Ordinal)))
                parts.Add(text);
            // A specific message says it all; only a wrapper ("see inner exception") needs the one inside.
            if (!wrapper && parts.Count > 0) break;
        }
        return parts.Count == 0 ? "no reason given" : string.Join(": ", parts);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@",?\s*see (the )?inner exception( for details)?\.?", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex SeeInner();

    private static bool IsWrapper(string text) =>
        text.Length == 0
        || text.Contains("inner exception", StringComparison.OrdinalIgnoreCase)
        || text.Contains("error occurred", StringComparison.OrdinalIgnoreCase)
        || text.Contains("errors occurred", StringComparison.OrdinalIgnoreCase)
        || text.Contains("could not be established", StringComparison.OrdinalIgnoreCase)
        || text.StartsWith("exception of type", StringComparison.OrdinalIgnoreCase);

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
