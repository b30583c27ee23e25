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
        w.VectorList("kind_responses", 4, KindResponses, static (w, response) => response.Write(w));
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.VectorList<FetchKindResponse>("kind_responses", 4, Rfc, FetchKindResponse.TryRead, out var responses))
            return false;
        value = new FetchAns(responses);
        return true;
    }
}
