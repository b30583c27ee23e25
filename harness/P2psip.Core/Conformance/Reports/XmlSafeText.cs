using System.Globalization;
using System.Text;
using System.Xml;

namespace P2psip.Conformance.Reports;

/// <summary>
/// Text that XML 1.0 can carry: characters it cannot (control characters, lone surrogates,
/// U+FFFE/U+FFFF) become a visible "\uXXXX", so a reason or summary holding any bytes still
/// gives a well-formed junit.xml. The writer escapes &lt;, &amp; and quotes itself.
/// </summary>
public static class XmlSafeText
{
    public static string Clean(string text)
    {
        if (IsClean(text)) return text;
        var b = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                b.Append(c).Append(text[++i]);
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                b.Append(c);
            }
            else
            {
                b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }
        return b.ToString();
    }

    private static bool IsClean(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (!XmlConvert.IsXmlChar(c)) return false;
        }
        return true;
    }
}
