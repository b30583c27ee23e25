using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Messages.Topology;

namespace P2psip.Peer;

/// <summary>What a planted defect does once it has tripped.</summary>
public enum InjectedFaultEffect
{
    /// <summary>The peer crashes (<see cref="ReferencePeer.Crash"/>): its links go, nothing answers.</summary>
    Crash,
    /// <summary>The peer's request handling wedges: every later request is swallowed unanswered.</summary>
    Hang,
    /// <summary>The peer's state is corrupted: every later Ping is answered with an error.</summary>
    WrongAnswer,
}

/// <summary>
/// TEST-ONLY (issue 12): a defect planted in the reference peer so that the network fuzzer can be
/// shown to find bugs. Never on by default; a peer with one prints "INJECTED FAULT: ..." at start-up.
/// Each trips on a rare field value that a field-map mutation reaches but no valid message carries.
/// </summary>
public sealed record InjectedFault(string Name, string Trigger, InjectedFaultEffect Effect, Func<MessageBody, bool> Trips)
{
    /// <summary>
    /// How many matching requests the peer must have dispatched since it started before the fault
    /// trips: above 1, a defect that needs state from earlier cases (a leak that bites on repetition),
    /// which a rerun of the failing case alone on a restarted peer does not reproduce.
    /// </summary>
    public int Times { get; init; } = 1;

    public static IReadOnlyList<InjectedFault> Catalogue { get; } =
    [
        new("crash-on-probe-type-0xfe", "a ProbeReq asking for information type 0xfe", InjectedFaultEffect.Crash,
            body => body is ProbeReq probe && probe.RequestedInfo.Contains((byte)0xfe)),
        new("hang-on-update-uptime-max", "an UpdateReq with uptime 0xffffffff", InjectedFaultEffect.Hang,
            body => body is UpdateReq update && update.Update.Uptime == uint.MaxValue),
        new("wrong-answer-on-fetch-generation-max", "a FetchReq with a specifier of generation 0xffffffffffffffff", InjectedFaultEffect.WrongAnswer,
            body => body is FetchReq fetch && fetch.Specifiers.Any(s => s.Generation == ulong.MaxValue)),
        new("crash-on-third-leave", "the third LeaveReq since start-up (state from earlier cases)", InjectedFaultEffect.Crash,
            body => body is LeaveReq) { Times = 3 },
    ];

    public static InjectedFault? Find(string name) => Catalogue.FirstOrDefault(f => f.Name == name);

    public static string Names => string.Join(", ", Catalogue.Select(f => f.Name));

    /// <summary>The start-up line: loud, so nobody mistakes this peer for the reference.</summary>
    public string Banner => $"INJECTED FAULT: {Name} ({Description}) - TEST ONLY, this peer is deliberately broken";

    /// <summary>"crash on ...", "hang on ...", "wrong answer on ...".</summary>
    public string Description => (Effect == InjectedFaultEffect.WrongAnswer ? "wrong answer" : Effect.ToString().ToLowerInvariant()) + " on " + Trigger;
}
