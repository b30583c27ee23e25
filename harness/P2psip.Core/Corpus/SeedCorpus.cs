using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using P2psip.Framing;
using P2psip.Messages;

namespace P2psip.Corpus;

/// <summary>
/// The fuzz seeds: one whole, valid RELOAD message per body that the seed catalogues give, wrapped
/// in a deterministic header (overlay "example.org", a transaction id derived from the seed's name,
/// one Node-ID destination, TTL 100), so the same build always writes the same files.
/// </summary>
public static class SeedCorpus
{
    /// <summary>The overlay name whose hash goes in every seed's header.</summary>
    public const string OverlayName = "example.org";

    /// <summary>The file name (without .bin) of the framed ACK seed.</summary>
    public const string AckSeedName = "ack";

    /// <summary>The catalogues of bodies the seeds are made from; add one line per catalogue.</summary>
    public static readonly IReadOnlyList<Func<IEnumerable<(string Name, MessageBody Body)>>> BodySources =
    [
        ErrorSeeds.All,
        TopologySeeds.All,
        StorageSeeds.All,
    ];

    /// <summary>§6.3.2: overlay is "the lower 32 bits of the SHA-1 hash of the overlay name".</summary>
    public static uint OverlayHash(string overlayName)
    {
        var digest = SHA1.HashData(Encoding.UTF8.GetBytes(overlayName));
        return BinaryPrimitives.ReadUInt32BigEndian(digest.AsSpan(digest.Length - 4));
    }

    /// <summary>A transaction id that depends only on the seed's name.</summary>
    public static ulong TransactionIdFor(string name) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("txid:" + name)));

    /// <summary>The Node-ID every seed is addressed to (16 bytes, CHORD-RELOAD's length).</summary>
    public static byte[] DestinationNodeId { get; } = SHA256.HashData(Encoding.UTF8.GetBytes("node:" + OverlayName))[..16];

    /// <summary>The header a seed named <paramref name="name"/> is sent with.</summary>
    public static ForwardingHeader HeaderFor(string name) => new()
    {
        Overlay = OverlayHash(OverlayName),
        Ttl = 100,
        TransactionId = TransactionIdFor(name),
        DestinationList = [new NodeDestination(DestinationNodeId)],
    };

    /// <summary>Every seed message, by name, encoded; names are unique.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> All()
    {
        var seeds = new List<(string, byte[])>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in BodySources)
        foreach (var (name, body) in source())
        {
            if (!names.Add(name)) throw new InvalidOperationException($"two seeds are named {name}");
            seeds.Add((name, ReloadCodec.Encode(new ReloadMessage(HeaderFor(name), body))));
        }
        return seeds;
    }

    /// <summary>The framing ACK seed (§6.6.2): acknowledges sequence 2, with sequence 1 received before it.</summary>
    public static byte[] AckSeed() => new AckFrame(2, 1u << 1).Encode();

    /// <summary>Every seed file: the messages of <see cref="All"/>, then the framed ACK.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Files() => [.. All(), (AckSeedName, AckSeed())];
}
