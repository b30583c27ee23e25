using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The body of find_ans (§7.4.4.2):
/// <code>  struct { FindKindData results&lt;0..2^16-1&gt;; } FindAns;</code>
/// </summary>
public sealed record FindAns(ValueList<FindKindData> Results) : MessageBody
{
    internal const string Rfc = "7.4.4.2";

    public override ushort Code => MessageCodes.FindAns;

    internal override void WriteFields(WireWriter w)
    {
        w.BeginVector("results", 2, isList: true);
        foreach (var result in Results)
        {
            w.BeginElement();
            result.Write(w);
            w.End();
        }
        w.EndVector();
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.Enter("results", 2, Rfc, out var saved)
            || !r.List<FindKindData>("results", Rfc, FindKindData.TryRead, out var results)
            || !r.Leave("results", saved, Rfc))
            return false;
        value = new FindAns(results);
        return true;
    }
}
