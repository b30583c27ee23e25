using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// One step of a scenario's <c>steps:</c> (issue 9): a message a harness party sends to the target
/// and what its answer should be (TLS-Attacker's trace of send and expect actions, as data). The
/// message is raw captured bytes or a template (a message code, started from the seed corpus's
/// body of that code), with field values written over either; before sending, the fields named
/// by <see cref="Rewrites"/> are rebuilt for the target as <c>p2psip replay</c> does.
/// </summary>
public sealed record ScenarioStep(StepMessage Send)
{
    public string? Name { get; init; }

    /// <summary>The identity (declared under identities) that sends it, each on its own link; null: the run's own stand-in.</summary>
    public string? From { get; init; }

    public ReplayRewrites Rewrites { get; init; } = ReplayRewrites.All;

    /// <summary>What the target should do; null: the message is sent and nothing is awaited.</summary>
    public StepExpectation? Expect { get; init; }
}

/// <summary>The bytes of a step: <see cref="Bytes"/> as captured, or the corpus template of <see cref="Code"/>; <see cref="Fields"/> written over either.</summary>
public sealed record StepMessage
{
    public Opaque? Bytes { get; init; }
    public ushort? Code { get; init; }
    public ValueList<StepField> Fields { get; init; } = ValueList<StepField>.Empty;

    public static StepMessage Captured(ReadOnlySpan<byte> bytes) => new() { Bytes = new Opaque(bytes.ToArray()) };
    public static StepMessage Template(ushort code, params StepField[] fields) => new() { Code = code, Fields = fields };
}

/// <summary>
/// A field value of a step's message, by field path (<see cref="FieldPaths"/>): a number (decimal
/// or 0x hex) for an integer field, hex for a byte field or structure.
/// </summary>
public sealed record StepField(string Path, string Value);

/// <summary>Whether a step expects an answer at all.</summary>
public enum StepAnswer
{
    /// <summary>Not said: any answer, or none, is fine unless another expectation says otherwise.</summary>
    Unspecified,
    /// <summary>The target must not answer (it drops the message; §6.3.3.1 is silent about some).</summary>
    None,
    /// <summary>The target must answer (with what <see cref="StepExpectation"/>'s other fields say).</summary>
    Some,
}

/// <summary>Whether the target must still be alive after a step (the conformance runner's liveness probe: Ping on a fresh link).</summary>
public enum StepLiveness
{
    Alive,
    Lost,
}

/// <summary>
/// What a step expects: an answer or none, its message code and error code (§6.3.3.1), the captured
/// answer compared structurally as <c>p2psip replay</c> does (<see cref="P2psip.Replay.AnswerComparer"/>),
/// field tests on the answer (as matchers write them), and the target's liveness afterwards.
/// </summary>
public sealed record StepExpectation
{
    public StepAnswer Answer { get; init; }
    public ushort? Code { get; init; }
    public ushort? ErrorCode { get; init; }
    /// <summary>The captured answer, compared structurally (not its header, signatures or times).</summary>
    public Opaque? Bytes { get; init; }
    public ValueList<FieldTest> Fields { get; init; } = ValueList<FieldTest>.Empty;
    public StepLiveness? Liveness { get; init; }

    public static StepExpectation NoAnswer => new() { Answer = StepAnswer.None };
    public static StepExpectation AnswerCode(ushort code) => new() { Answer = StepAnswer.Some, Code = code };
    public static StepExpectation Error(ushort errorCode) => new() { Answer = StepAnswer.Some, Code = Messages.MessageCodes.Error, ErrorCode = errorCode };
    public static StepExpectation SameAs(ReadOnlySpan<byte> captured) => new() { Answer = StepAnswer.Some, Bytes = new Opaque(captured.ToArray()) };
    public static StepExpectation LivenessAfter(StepLiveness liveness) => new() { Liveness = liveness };
}
