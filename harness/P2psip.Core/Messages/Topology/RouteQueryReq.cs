using P2psip.Wire;

namespace P2psip.Messages.Topology;

/// <summary>
/// The body of route_query_req (§6.4.2.4.1):
/// <code>
///   struct {
///     Boolean                send_update;
///     Destination            destination;
///     opaque                 overlay_specific_data&lt;0..2^16-1&gt;;
///   } RouteQueryReq;
/// </code>
/// "For CHORD-RELOAD, the RouteQueryReq contains no additional information" (§10.8): the encoder
/// writes an empty overlay_specific_data and the decoder rejects a non-empty one.
/// </summary>
public sealed record RouteQueryReq(bool SendUpdate, Destination Destination) : MessageBody
{
    internal const string Rfc = "6.4.2.4.1";

    public override ushort Code => MessageCodes.RouteQueryReq;

    internal override void WriteFields(WireWriter w)
    {
        w.Boolean("send_update", SendUpdate);
        w.Begin("destination");
        Destination.Write(w);
        w.End();
        w.Vector("overlay_specific_data", 2, ReadOnlySpan<byte>.Empty);
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.Boolean("send_update", Rfc, out var sendUpdate)) return false;
        if (!Destination.TryRead(ref r, out var destination)) return r.Nest("destination");
        int dataAt = r.Position;
        if (!r.Vector("overlay_specific_data", 2, Rfc, out var data)) return false;
        if (!data.IsEmpty)
            return r.Reject("overlay_specific_data", dataAt, $"CHORD-RELOAD's RouteQueryReq carries no overlay-specific data, got {data.Length} bytes", "10.8");
        value = new RouteQueryReq(sendUpdate, destination);
        return true;
    }
}
