using P2psip.Fuzz.Targets.Peer;
using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Peer.Storage;
using P2psip.Peer.Transport;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Fuzz.Targets;

/// <summary>
/// A reference peer in a small converged ring (<see cref="FuzzRing"/>) receiving the input as one
/// message from the harness peer over an in-memory link: decode, verify, route, store, answer. The
/// scheduler then runs until idle (bounded by <see cref="FuzzRing.MaxEventsPerInput"/>). Beyond
/// "no exception escapes", every input must leave the scheduler idle, no transaction open, the
/// transaction tables, links and storage under their caps, and no exception caught by the
/// transport's own safety net (other than an encoder refusal).
/// <para>
/// Re-sign mode (<c>peer-resign</c>): an input that decodes is signed afresh by the harness identity
/// (§6.3.4) and re-encoded before delivery, so that mutations get past signature verification to the
/// layers behind it; an input that does not decode is delivered as it is.
/// </para>
/// <para>
/// State between inputs: the ring is built once and reused, but rebuilt before the next input
/// whenever an input changed anything a later input could see (routing and neighbour tables,
/// links, stored data, open transactions), and every <see cref="RebuildEvery"/> inputs regardless.
/// Virtual time moves on by more than the 15 s replay window (§6.2.1) before each input, so that
/// a transaction id seen earlier does not change how an input is handled. What is left is each
/// peer's random number generator (transaction ids of its own requests), which no check depends on.
/// </para>
/// </summary>
public sealed class PeerTarget(bool resign) : IFuzzTarget
{
    public const int RebuildEvery = 1000;
    private static readonly TimeSpan BetweenInputs = TimeSpan.FromSeconds(16);
    private static readonly DecodeOptions Decoding = new() { NodeIdLength = 16 };
    private const string SafetyNet = "could not process: ";
    private FuzzRing? _ring;

    public string Name => resign ? "peer-resign" : "peer";

    public bool Resign => resign;

    /// <summary>The ring the last input was delivered into (for tests).</summary>
    public FuzzRing? Ring => _ring;

    public void Run(ReadOnlyMemory<byte> input)
    {
        if (_ring is null || _ring.Inputs >= RebuildEvery || _ring.ChangedSinceBuilt) _ring = FuzzRing.Build();
        var ring = _ring;
        ring.Inputs++;
        ring.Received.Clear();
        ring.Scheduler.RunFor(BetweenInputs);

        ring.Link.Send(resign ? ResignOrRaw(input) : input);
        try
        {
            if (!ring.Idle())
                throw new FuzzOracleException($"the scheduler did not become idle within {FuzzRing.MaxEventsPerInput} events");
            CheckInvariants(ring);
        }
        catch
        {
            _ring = null; // a ring an input broke is not reused
            throw;
        }
    }

    /// <summary>The input signed by the harness identity if it decodes, else the input itself.</summary>
    public static ReadOnlyMemory<byte> ResignOrRaw(ReadOnlyMemory<byte> input)
    {
        var decoded = ReloadCodec.Decode(input, Decoding);
        if (!decoded.IsSuccess) return input;
        var identity = FuzzIdentities.Shared.Harness;
        return ReloadCodec.Encode(MessageSigner.Sign(decoded.Value, identity, asNodeId: identity.NodeId));
    }

    private static void CheckInvariants(FuzzRing ring)
    {
        foreach (var (peer, storage) in ring.Peers)
        {
            var t = peer.Transport;
            var o = peer.Options;
            // Idle means no timer is left, and every open transaction keeps a retransmission timer (§6.2.1).
            if (t.PendingTransactions != 0)
                throw new FuzzOracleException($"peer {peer.NodeId.ToHex()}: {t.PendingTransactions} transactions still open with the scheduler idle");
            if (t.RecentRequestCount > o.RecentRequestCapacity)
                throw new FuzzOracleException($"peer {peer.NodeId.ToHex()}: {t.RecentRequestCount} remembered requests, cap {o.RecentRequestCapacity}");
            if (t.LinkCount > o.MaxLinks)
                throw new FuzzOracleException($"peer {peer.NodeId.ToHex()}: {t.LinkCount} links, cap {o.MaxLinks}");
            // The transport drops a message whose processing threw (never crashing the peer); only
            // encoder refusals are expected there, any other exception type is a bug it hid.
            foreach (var reason in t.Drops.Keys)
                if (reason.StartsWith(SafetyNet, StringComparison.Ordinal) && reason != SafetyNet + "WireEncodeException")
                    throw new FuzzOracleException($"peer {peer.NodeId.ToHex()}: the transport caught an exception while processing the message ({reason})");
            var usage = storage.Engine.Usage;
            var limits = storage.Engine.Limits;
            if (usage.Values > limits.MaxTotalValues || usage.Bytes > limits.MaxTotalBytes)
                throw new FuzzOracleException($"peer {peer.NodeId.ToHex()}: storage holds {usage}, caps {limits.MaxTotalValues} values / {limits.MaxTotalBytes} bytes");
        }
    }

    /// <summary>
    /// A corpus message shaped for this ring: this overlay, configuration sequence and TTL, no Via
    /// List, addressed to the target peer (storage requests also to their Resource-ID, so that they
    /// are routed through the ring), signed by the harness identity. Null when it does not decode.
    /// </summary>
    public static IEnumerable<(string Suffix, byte[] Bytes)> Shape(ReadOnlyMemory<byte> message)
    {
        var decoded = ReloadCodec.Decode(message, Decoding);
        if (!decoded.IsSuccess) yield break;
        var m = decoded.Value;
        var header = m.Header with
        {
            Overlay = MessageTransport.OverlayHash(FuzzIdentities.Overlay),
            ConfigurationSequence = (ushort)(FuzzRing.Configuration.Sequence ?? 0),
            Ttl = (byte)FuzzRing.Configuration.InitialTtl,
            ViaList = [],
            Options = [],
            Fragment = ForwardingHeader.Unfragmented,
            DestinationList = [new NodeDestination(TargetNodeId)],
        };
        var identity = FuzzIdentities.Shared.Harness;
        byte[] Signed(ForwardingHeader h) => ReloadCodec.Encode(MessageSigner.Sign(m with { Header = h, Security = SecurityBlock.Unsigned }, identity, asNodeId: identity.NodeId));
        yield return ("", Signed(header));
        Opaque? resource = m.Body switch
        {
            StoreReq s => s.Resource,
            FetchReq f => f.Resource,
            StatReq s => s.Resource,
            FindReq f => f.Resource,
            _ => (Opaque?)null,
        };
        if (resource is { } r) yield return (".routed", Signed(header with { DestinationList = [new ResourceDestination(r)] }));
    }

    /// <summary>Seeds made here: the harness publishes its own certificate (§8), a Store the engine accepts.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> BuiltIn()
    {
        var identity = FuzzIdentities.Shared.Harness;
        foreach (var (store, i) in CertificateUsage.Publish(identity, FuzzRing.Start, 30 * 24 * 3600).Select((s, i) => (s, i)))
        {
            var header = new ForwardingHeader { TransactionId = 0x0F0F_0000_0000_0000UL + (ulong)i, DestinationList = [new NodeDestination(TargetNodeId)] };
            foreach (var (suffix, bytes) in Shape(ReloadCodec.Encode(new ReloadMessage(header, store))))
                yield return ($"harness-store-{i}{suffix}", bytes);
        }
    }

    /// <summary>The Node-ID of the peer that receives the inputs (the second peer of the fixed identity set).</summary>
    public static Opaque TargetNodeId => FuzzIdentities.Shared.Peers[1].NodeId;
}
