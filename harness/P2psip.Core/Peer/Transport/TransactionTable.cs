using P2psip.Messages;

namespace P2psip.Peer.Transport;

/// <summary>
/// The requests this peer originated and awaits answers to (§6.2.1): fresh transaction ids from the
/// peer's random source (cryptographic on live peers), retransmission with the same id every
/// overlay-reliability-timer up to <see cref="PeerOptions.MaxTransmissions"/>, then
/// Error_Request_Timeout. At most <see cref="PeerOptions.MaxTransactions"/> at once.
/// </summary>
internal sealed class TransactionTable(PeerOptions options, object gate)
{
    private readonly Dictionary<ulong, PendingTransaction> _pending = [];

    public int Count => _pending.Count;
    public bool IsFull => _pending.Count >= options.MaxTransactions;

    /// <summary>A transaction id that is neither 0 nor outstanding.</summary>
    public ulong NewId()
    {
        ulong id;
        do id = (ulong)options.Random.NextInt64() ^ ((ulong)options.Random.Next() << 63);
        while (id == 0 || _pending.ContainsKey(id));
        return id;
    }

    /// <summary>Starts a transaction: <paramref name="send"/> transmits it now and at each retransmission.</summary>
    public void Start(PendingTransaction pending, Action<ReloadMessage> send)
    {
        _pending[pending.Request.Header.TransactionId] = pending;
        Transmit(pending, send);
    }

    private void Transmit(PendingTransaction pending, Action<ReloadMessage> send)
    {
        pending.Transmissions++;
        pending.Timer = options.Scheduler.Schedule(options.ReliabilityTimer, () =>
        {
            lock (gate)
            {
                ulong id = pending.Request.Header.TransactionId;
                if (!_pending.TryGetValue(id, out var current) || !ReferenceEquals(current, pending)) return;
                if (pending.Transmissions < (pending.MaxTransmissions ?? options.MaxTransmissions))
                {
                    Transmit(pending, send);
                    return;
                }
                _pending.Remove(id);
                pending.Done(RequestOutcome.Local(ErrorCodes.RequestTimeout, $"no answer after {pending.Transmissions} transmissions"));
            }
        });
        send(pending.Request);
    }

    public bool TryGet(ulong transactionId, out PendingTransaction pending) => _pending.TryGetValue(transactionId, out pending!);

    /// <summary>Ends a transaction with its outcome.</summary>
    public void Complete(PendingTransaction pending, RequestOutcome outcome)
    {
        _pending.Remove(pending.Request.Header.TransactionId);
        pending.Timer?.Dispose();
        pending.Done(outcome);
    }

    public void Clear()
    {
        foreach (var p in _pending.Values) p.Timer?.Dispose();
        _pending.Clear();
    }
}
