using System.Threading.Channels;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Links;

/// <summary>
/// A link inside one process, for simulations and tests: two ends joined by queues. It carries the
/// identities it is given so the ends can know each other's Node-ID, as a certificate would tell.
/// </summary>
public sealed class InMemoryLink : IOverlayLink
{
    private readonly Channel<ReadOnlyMemory<byte>> _inbox = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = false });
    private InMemoryLink _other = null!;

    private InMemoryLink(ReloadCertificate? peer)
    {
        PeerCertificate = peer;
        PeerNodeId = peer is { NodeIds.Count: > 0 } ? peer.NodeIds[0] : Opaque.Empty;
    }

    /// <summary>Two joined ends; <paramref name="a"/> is the identity at the first end, <paramref name="b"/> at the second.</summary>
    public static (InMemoryLink A, InMemoryLink B) CreatePair(Identity? a = null, Identity? b = null)
    {
        var endA = new InMemoryLink(b?.Certificate);
        var endB = new InMemoryLink(a?.Certificate);
        endA._other = endB;
        endB._other = endA;
        return (endA, endB);
    }

    public string Protocol => "IN-MEMORY";
    public bool IsSecure => true;
    public Opaque PeerNodeId { get; }
    public ReloadCertificate? PeerCertificate { get; }
    public LinkTap? Tap { get; set; }

    public Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancel = default)
    {
        // Copy: the sender may reuse its buffer.
        byte[]? outbound = message.ToArray();
        if (Tap is { } tap) outbound = tap(LinkDirection.Outbound, outbound);
        if (outbound is null) return Task.CompletedTask;
        var inbound = _other.Tap is { } otherTap ? otherTap(LinkDirection.Inbound, outbound) : outbound;
        if (inbound is null) return Task.CompletedTask;
        if (!_other._inbox.Writer.TryWrite(inbound)) throw new LinkFailedException("the in-memory link is closed");
        return Task.CompletedTask;
    }

    public async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancel = default)
    {
        while (await _inbox.Reader.WaitToReadAsync(cancel).ConfigureAwait(false))
            if (_inbox.Reader.TryRead(out var message)) return message;
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _inbox.Writer.TryComplete();
        _other._inbox.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
