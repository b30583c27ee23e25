using P2psip.Messages.Storage;
using P2psip.Peer.Transport;
using P2psip.Wire;

namespace P2psip.Peer.Lookup;

/// <summary>
/// How a lookup ended: the answer taken (for a redundant lookup, the freshest values of every
/// answer that verified, merged), who gave it, and what it cost — requests sent, answers received
/// and refused, and why each refused answer was refused.
/// </summary>
public sealed record LookupResult
{
    public required LookupMode Mode { get; init; }

    /// <summary>The answer taken; null when no answer came, or none verified.</summary>
    public FetchAns? Answer { get; init; }

    /// <summary>The peers whose answers were taken (the first is the one closest to the Resource-ID).</summary>
    public IReadOnlyList<Opaque> Responders { get; init; } = [];

    /// <summary>A plain lookup's outcome as the transport gave it (an error, a timeout or the answer).</summary>
    public RequestOutcome? Outcome { get; init; }

    public int Requests { get; init; }
    public int Answers { get; init; }
    public int Accepted { get; init; }

    /// <summary>Why answers were refused: a value whose signature does not verify, an answerer outside the replica set, an error.</summary>
    public IReadOnlyList<string> Refused { get; init; } = [];

    public bool Found => Answer is not null;

    public override string ToString() => Found
        ? $"{Mode}: {Accepted} of {Answers} answers taken ({Requests} requests){(Refused.Count > 0 ? "; refused: " + string.Join("; ", Refused) : "")}"
        : $"{Mode}: no answer taken ({Answers} answers to {Requests} requests){(Refused.Count > 0 ? "; refused: " + string.Join("; ", Refused) : "")}";
}
