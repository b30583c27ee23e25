using P2psip.Security;

namespace P2psip.Links;

/// <summary>
/// A link inside one process, for simulations and tests: two ends joined by queues. It carries the
/// identities it is given so the ends can know each other's Node-ID, as a certificate would tell.
/// A message sent passes the sender's pipeline and then, at once, the receiver's, if the receiver
/// has started; until then it waits (at most <see cref="LinkLimits.InboxCapacity"/>, then dropped and counted).
/// </summary>
public sealed class InMemoryLink : PipelinedLink
{
    public const string ProtocolName = "IN-MEMORY";

    private readonly SemaphoreSlim _deliveries = new(1, 1);
    private readonly Queue<ReadOnlyMemory<byte>> _early = new();
    private bool _started;
    private InMemoryLink _other = null!;

    private InMemoryLink(Identity? local, ReloadCertificate? peer, LinkRole role, LinkLimits limits)
        : base(new LinkInfo(ProtocolName, true, role, null, null, LinkInfo.NodeIdOf(local?.Certificate), LinkInfo.NodeIdOf(peer), peer), limits)
    {
    }

    /// <summary>Two joined ends; <paramref name="a"/> is the identity at the first end (the initiator), <paramref name="b"/> at the second.</summary>
    public static (InMemoryLink A, InMemoryLink B) CreatePair(Identity? a = null, Identity? b = null, LinkLimits? limits = null)
    {
        var endA = new InMemoryLink(a, b?.Certificate, LinkRole.Initiator, limits ?? LinkLimits.Default);
        var endB = new InMemoryLink(b, a?.Certificate, LinkRole.Acceptor, limits ?? LinkLimits.Default);
        endA._other = endB;
        endB._other = endA;
        return (endA, endB);
    }

    protected override void StartReading()
    {
        // Held while the early messages go through, so a message sent meanwhile cannot overtake them.
        _deliveries.Wait();
        ReadOnlyMemory<byte>[] early;
        lock (_early)
        {
            _started = true;
            early = _early.ToArray();
            _early.Clear();
        }
        _ = Task.Run(async () =>
        {
            try
            {
                foreach (var message in early) await DeliverAsync(message).ConfigureAwait(false);
            }
            finally { _deliveries.Release(); }
        });
    }

    protected override async ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancel)
    {
        if (Closing.IsCancellationRequested || _other.Closing.IsCancellationRequested) throw new LinkFailedException("the in-memory link is closed");
        await _other.ArriveAsync(message.ToArray()).ConfigureAwait(false); // copied: the sender may reuse its buffer
    }

    private async ValueTask ArriveAsync(byte[] message)
    {
        lock (_early)
        {
            if (!_started)
            {
                if (_early.Count >= Limits.InboxCapacity) Counters.InboxDrop();
                else _early.Enqueue(message);
                return;
            }
        }
        await _deliveries.WaitAsync().ConfigureAwait(false);
        try { await DeliverAsync(message).ConfigureAwait(false); }
        finally { _deliveries.Release(); }
    }

    protected override async ValueTask CloseAsync()
    {
        await _other.DisposeAsync().ConfigureAwait(false);
    }
}
