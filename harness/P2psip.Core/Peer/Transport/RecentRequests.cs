using P2psip.Messages;

namespace P2psip.Peer.Transport;

/// <summary>
/// Requests answered recently, by transaction id, with their answers (§6.2.1: "semantically
/// equivalent responses to retransmissions" within the 15-second request lifetime). A request seen
/// again is answered from here and not executed twice (defence transaction-replay, UN-3).
/// Bounded: the oldest entries go first when full.
/// </summary>
public sealed class RecentRequests(int capacity, TimeSpan lifetime)
{
    private readonly Dictionary<ulong, Entry> _entries = [];
    private readonly Queue<(ulong Id, DateTimeOffset At)> _order = new();

    public int Count => _entries.Count;
    public int Capacity { get; } = capacity;

    /// <summary>Whether the transaction id was seen within its lifetime; its answer (null while unanswered) and who signed the request.</summary>
    public bool TryGet(ulong transactionId, DateTimeOffset now, out ReloadMessage? answer, out Wire.Opaque signer)
    {
        Expire(now);
        if (_entries.TryGetValue(transactionId, out var e))
        {
            answer = e.Answer;
            signer = e.Signer;
            return true;
        }
        answer = null;
        signer = Wire.Opaque.Empty;
        return false;
    }

    /// <summary>Marks a request as seen (answer still unknown), with the Node-ID its verified signature names (empty unsigned).</summary>
    public void Begin(ulong transactionId, DateTimeOffset now, Wire.Opaque signer = default)
    {
        Expire(now);
        if (_entries.ContainsKey(transactionId)) return;
        while (_entries.Count >= Capacity && _order.TryDequeue(out var oldest))
            _entries.Remove(oldest.Id);
        _entries[transactionId] = new Entry(null, signer);
        _order.Enqueue((transactionId, now));
    }

    public void Answer(ulong transactionId, ReloadMessage answer)
    {
        if (_entries.TryGetValue(transactionId, out var e)) _entries[transactionId] = e with { Answer = answer };
    }

    private void Expire(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && now - oldest.At > lifetime)
        {
            _order.Dequeue();
            _entries.Remove(oldest.Id);
        }
    }

    private sealed record Entry(ReloadMessage? Answer, Wire.Opaque Signer);
}
