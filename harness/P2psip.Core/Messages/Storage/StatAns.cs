using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The body of stat_ans (§7.4.3.2):
/// <code>  struct { StatKindResponse kind_responses&lt;0..2^32-1&gt;; } StatAns;</code>
/// </summary>
public sealed record StatAns(ValueList<StatKindResponse> KindResponses) : MessageBody
{
    internal const string Rfc = "7.4.3.2";

    public override ushort Code => MessageCodes.StatAns;

    internal override void WriteFields(WireWriter w)
    {
        w.BeginVector("kind_responses", 4, isList: true);
        foreach (var response in KindResponses)
        {
            w.BeginElement();
            response.Write(w);
            w.End();
        }
        w.EndVector();
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.Enter("kind_responses", 4, Rfc, out var saved)
            || !r.List<StatKindResponse>("kind_responses", Rfc, StatKindResponse.TryRead, out var responses)
            || !r.Leave("kind_responses", saved, Rfc))
            return false;
        value = new StatAns(responses);
        return true;
    }
}
