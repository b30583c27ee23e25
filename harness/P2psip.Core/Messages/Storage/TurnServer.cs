using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The value of Kind TURN-SERVICE (2), a single value (§9):
/// <code>  struct { uint8 iteration; IpAddressPort server_address; } TurnServer;</code>
/// iteration is the d (1..turn-density) whose Resource Name, Node-ID and d, locates this copy.
/// </summary>
public sealed record TurnServer(byte Iteration, IpAddressPort ServerAddress)
{
    internal const string Rfc = "9";

    internal void Write(WireWriter w)
    {
        w.U8("iteration", Iteration);
        ServerAddress.Write(w, "server_address");
    }

    public byte[] Encode() => KindValueCodec.Encode(Write);

    public DataValue ToDataValue() => DataValue.Of(Encode());

    public static DecodeResult<TurnServer> Decode(Opaque value, DecodeOptions? options = null) =>
        KindValueCodec.Decode<TurnServer>(value, options, TryRead, Rfc);

    internal static bool TryRead(ref WireReader r, out TurnServer value)
    {
        value = null!;
        if (!r.U8("iteration", Rfc, out var iteration) || !IpAddressPort.TryRead(ref r, "server_address", out var address)) return false;
        value = new TurnServer(iteration, address);
        return true;
    }

    public override string ToString() => $"TURN {ServerAddress} (iteration {Iteration})";
}
