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
        w.VectorList("kind_responses", 4, KindResponses, static (w, response) => response.Write(w));
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.VectorList<StatKindResponse>("kind_responses", 4, Rfc, StatKindResponse.TryRead, out var responses))
            return false;
        value = new StatAns(responses);
        return true;
    }
}
