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
        w.VectorList("kind_responses", 2, KindResponses, static (w, response) => response.Write(w));
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.VectorList<StoreKindResponse>("kind_responses", 2, Rfc, StoreKindResponse.TryRead, out var responses))
            return false;
        value = new StoreAns(responses);
        return true;
    }
}
