using P2psip.Messages;

namespace P2psip.Peer.Transport;

/// <summary>A request this peer originated and awaits the answer to (§6.2.1).</summary>
internal sealed class PendingTransaction(ReloadMessage request, Action<RequestOutcome> done)
{
    public ReloadMessage Request { get; } = request;
    public Action<RequestOutcome> Done { get; } = done;

    /// <summary>Transmissions so far; at most 5 (§6.2.1).</summary>
    public int Transmissions { get; set; }

    public IDisposable? Timer { get; set; }

    /// <summary>Transmissions at most for this request; null: the peer's <see cref="PeerOptions.MaxTransmissions"/>.</summary>
    public int? MaxTransmissions { get; init; }

    /// <summary>The destination the answer is checked against (§6.3.4): the last entry of the Destination List.</summary>
    public Destination Target => Request.Header.DestinationList[^1];
}
