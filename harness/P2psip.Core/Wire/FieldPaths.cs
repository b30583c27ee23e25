namespace P2psip.Wire;

/// <summary>
/// Field paths name a field the same way in decode errors, encode edits and the field map:
/// RFC field names joined by dots, list elements as <c>name[i]</c>.
/// </summary>
public static class FieldPaths
{
    public static string Join(IEnumerable<string> segments)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var s in segments)
        {
            if (sb.Length > 0 && !s.StartsWith('[')) sb.Append('.');
            sb.Append(s);
        }
        return sb.ToString();
    }

    public static string Element(int index) => "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
}
