namespace P2psip.Conformance;

/// <summary>Orders case IDs as people read them: PC-2 before PC-10, TR-1a before TR-1b, -02 before -10.</summary>
public sealed class CaseIdComparer : IComparer<string>
{
    public static readonly CaseIdComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var a = Parts(x);
        var b = Parts(y);
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            int c = a[i] is long na && b[i] is long nb ? na.CompareTo(nb) : string.CompareOrdinal(a[i].ToString(), b[i].ToString());
            if (c != 0) return c;
        }
        return a.Count.CompareTo(b.Count);
    }

    private static List<object> Parts(string id)
    {
        var parts = new List<object>();
        int i = 0;
        while (i < id.Length)
        {
            int j = i;
            bool digits = char.IsAsciiDigit(id[i]);
            while (j < id.Length && char.IsAsciiDigit(id[j]) == digits) j++;
            var token = id[i..j];
            parts.Add(digits ? long.Parse(token, System.Globalization.CultureInfo.InvariantCulture) : token);
            i = j;
        }
        return parts;
    }
}
