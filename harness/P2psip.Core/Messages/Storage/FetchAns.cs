using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The body of fetch_ans (§7.4.2.2):
/// <code>  struct { FetchKindResponse kind_responses&lt;0..2^32-1&gt;; } FetchAns;</code>
/// </summary>
public sealed record FetchAns(ValueList<FetchKindResponse> KindResponses) : MessageBody
{
    internal const string Rfc = "7.4.2.2";

    public override ushort Code => MessageCodes.FetchAns;

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
            || !r.List<FetchKindResponse>("kind_responses", Rfc, FetchKindResponse.TryRead, out var responses)
            || !r.Leave("kind_responses", saved, Rfc))
            return false;
        value = new FetchAns(responses);
        return true;
    }
}
