using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The hashes that turn names into the numbers RELOAD routes and stores by.
/// </summary>
public static class OverlayHash
{
    /// <summary>Resource-IDs of CHORD-RELOAD are 128 bits (§10.2).</summary>
    public const int ChordResourceIdLength = 16;

    /// <summary>
    /// The forwarding header's overlay field: "the lower 32 bits of the SHA-1 hash of the overlay
    /// name" (§6.3.2). SHA-1's digest is a big-endian 160-bit number, so its lower 32 bits are the
    /// last four bytes. The name is hashed as given (its ASCII/UTF-8 bytes), without case folding.
    /// </summary>
    public static uint OverlayField(string overlayName)
    {
        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(Encoding.UTF8.GetBytes(overlayName), digest);
        return BinaryPrimitives.ReadUInt32BigEndian(digest[^4..]);
    }

    /// <summary>
    /// A CHORD-RELOAD Resource-ID: the SHA-1 of the Resource Name "truncated to the most
    /// significant 128 bits" (§10.2), i.e. its first 16 bytes.
    /// </summary>
    public static Opaque ResourceId(ReadOnlySpan<byte> resourceName)
    {
        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(resourceName, digest);
        return digest[..ChordResourceIdLength].ToArray();
    }

    /// <summary>The Resource-ID of a textual Resource Name (its UTF-8 bytes).</summary>
    public static Opaque ResourceId(string resourceName) => ResourceId(Encoding.UTF8.GetBytes(resourceName));

    /// <summary>
    /// Where a SIP AOR's registrations are stored (Kind SIP-REGISTRATION): the Resource Name is the
    /// AOR itself, as in §13.5.1's example ("the Resource Name will be the SIP AOR
    /// sip:alice@dht.example.com"), hashed as written, scheme included.
    /// </summary>
    public static Opaque SipAorResourceId(string aor) => ResourceId(aor);

    /// <summary>
    /// Where CERTIFICATE_BY_NODE stores a node's certificate: the hash of its Node-ID, "not at its
    /// Node-ID", so that a peer is never responsible for its own certificate (§8).
    /// </summary>
    public static Opaque CertificateByNodeResourceId(Opaque nodeId) => ResourceId(nodeId.Span);
}
