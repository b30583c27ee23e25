using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The body of store_ans (§7.4.1.2); also the error_info of Error_Generation_Counter_Too_Low.
/// <code>
///   struct { StoreKindResponse kind_responses&lt;0..2^16-1&gt;; } StoreAns;
/// </code>
/// </summary>
public sealed record StoreAns(ValueList<StoreKindResponse> KindResponses) : MessageBody
{
    internal const string Rfc = "7.4.1.2";

    public override ushort Code => MessageCodes.StoreAns;

    internal override void WriteFields(WireWriter w)
    {
        w.BeginVector("kind_responses", 2, isList: true);
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
        if (!r.Enter("kind_responses", 2, Rfc, out var saved)
            || !r.List<StoreKindResponse>("kind_responses", Rfc, StoreKindResponse.TryRead, out var responses)
            || !r.Leave("kind_responses", saved, Rfc))
            return false;
        value = new StoreAns(responses);
        return true;
    }
}
