using System.Net;
using P2psip.Wire;

namespace P2psip.Conformance.Probe;

/// <summary>Where and how the harness reaches the system under test, and who it should be.</summary>
public sealed record SutEndpoint(IPEndPoint Address, SutTransport Transport, Opaque? NodeId)
{
    public override string ToString() => $"{Address} over {Transport.Word()}" + (NodeId is { } id ? $" as {id.ToHex()}" : "");
}
