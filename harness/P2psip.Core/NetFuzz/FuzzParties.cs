using System.Numerics;
using P2psip.Conformance;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.NetFuzz;

/// <summary>
/// The harness parties a session speaks as: enrolled identities of the lab, each on its own link
/// (the SUT checks a message's signer is its link's Node-ID, §6.3.4, §13.6.3). Their Node-IDs come
/// from the seed and lie on the ring between the SUT and the canary's Resource-ID, clockwise: a
/// party that joins or announces itself in an Update (§10.5, §10.7.3) becomes the SUT's
/// predecessor or successor but never takes responsibility for the canary (§10.3), so a canary
/// that is gone afterwards was lost by the SUT, not handed over by the protocol.
/// </summary>
public sealed class FuzzParties
{
    public static readonly string[] Names = ["fuzz-a", "fuzz-b", "fuzz-c"];

    public FuzzParties(CertificationLab lab, Opaque canaryResource)
    {
        var sut = Number(lab.SutIdentity.NodeId.Span);
        var canary = Number(canaryResource.Span);
        var ring = BigInteger.One << (8 * lab.Configuration.NodeIdLength);
        var arc = ((canary - sut) % ring + ring) % ring;
        Identities = Names.Select(name =>
        {
            var draw = Number(lab.NewNodeId());
            // Strictly inside (SUT, canary); with no room (a degenerate lab), anywhere.
            var id = arc > 1 ? (sut + 1 + draw % (arc - 1)) % ring : draw;
            return lab.Issue(name, Bytes(id, lab.Configuration.NodeIdLength));
        }).ToArray();
    }

    public IReadOnlyList<Identity> Identities { get; }

    public int Count => Identities.Count;

    private static BigInteger Number(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    private static byte[] Bytes(BigInteger value, int length)
    {
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var bytes = new byte[length];
        raw.AsSpan(Math.Max(0, raw.Length - length)).CopyTo(bytes.AsSpan(Math.Max(0, length - raw.Length)));
        return bytes;
    }
}
