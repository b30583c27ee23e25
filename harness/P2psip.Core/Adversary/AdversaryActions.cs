using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// One thing a rule does to the message it fired on. Actions run in order over the set of copies
/// of the message (at first one: the original, to be forwarded). <see cref="Signature"/>, when set,
/// says what the copies the action touches do with their signature when they are written.
/// </summary>
public abstract record AdversaryAction
{
    /// <summary>The action's name in scenario files and the decision log.</summary>
    public abstract string Verb { get; }
    public SignatureTreatment? Signature { get; init; }
}

/// <summary>Forward unchanged; stops the rules below from deciding.</summary>
public sealed record PassAction : AdversaryAction
{
    public static PassAction Instance { get; } = new();
    public override string Verb => "pass";
}

/// <summary>Do not forward the message (the copies to forward are removed; forged or replayed ones stay).</summary>
public sealed record DropAction : AdversaryAction
{
    public static DropAction Instance { get; } = new();
    public override string Verb => "drop";
}

/// <summary>Forward later: the delay plus a jitter drawn uniformly from [-jitter, +jitter] (never below 0).</summary>
public sealed record DelayAction(int Milliseconds, int JitterMilliseconds = 0) : AdversaryAction
{
    public override string Verb => "delay";
}

/// <summary>Forward <see cref="Count"/> more copies of each message to forward.</summary>
public sealed record DuplicateAction(int Count = 1) : AdversaryAction
{
    public override string Verb => "duplicate";
}

/// <summary>
/// Send the message again later (UN-3), <see cref="Count"/> times: after every
/// <see cref="AfterMessages"/> further messages seen by the engine, or every
/// <see cref="AfterMilliseconds"/>; to the same link, or to another node (<see cref="To"/>).
/// </summary>
public sealed record ReplayAction : AdversaryAction
{
    public long? AfterMessages { get; init; }
    public long? AfterMilliseconds { get; init; }
    public string? To { get; init; }
    public int Count { get; init; } = 1;
    public override string Verb => "replay";
}

/// <summary>The operations of TLS-Attacker's modifiable variables, on one field.</summary>
public enum MutationOp
{
    /// <summary>Integer: write the value; bytes: write the hex.</summary>
    Set,
    /// <summary>Integer: add (wrapping at the field's width); bytes: add to them as a big-endian number.</summary>
    Add,
    /// <summary>XOR with the value (bytes: the hex mask repeated).</summary>
    Xor,
    /// <summary>Keep the first <see cref="MutateAction.Count"/> bytes of the field.</summary>
    Truncate,
    /// <summary>Insert the hex at <see cref="MutateAction.Offset"/> inside the field (default: at its end).</summary>
    Insert,
    /// <summary>Remove <see cref="MutateAction.Count"/> bytes at <see cref="MutateAction.Offset"/> inside the field.</summary>
    Delete,
    /// <summary>A value drawn from the run's random stream (bytes: the same length, or <see cref="MutateAction.Count"/>).</summary>
    Random,
}

/// <summary>
/// Change one field, named by its field-map path (<c>[*]</c>: every element), through the codec's
/// <see cref="WireEdits"/>: the enclosing lengths are recomputed unless the field is itself a length.
/// </summary>
public sealed record MutateAction(string Path, MutationOp Op, string? Value = null) : AdversaryAction
{
    public int? Offset { get; init; }
    public int? Count { get; init; }
    public override string Verb => "mutate";
}

/// <summary>Where a splice puts its bytes.</summary>
public enum SpliceWhere
{
    Before,
    After,
    Replace,
    /// <summary>At a byte offset of the written message (after signing: nothing is recomputed).</summary>
    At,
}

/// <summary>
/// Raw bytes into the message: before, after or instead of a field (lengths around it recomputed),
/// or at a byte offset of the finished message, deleting <see cref="Delete"/> bytes there.
/// </summary>
public sealed record SpliceAction(SpliceWhere Where, Opaque Bytes) : AdversaryAction
{
    public string? Path { get; init; }
    public int Offset { get; init; }
    public int Delete { get; init; }
    public override string Verb => "splice";
}

/// <summary>What a forged message is built from.</summary>
public enum ForgeTemplate
{
    /// <summary>An error response to the request (default Error_Not_Found, §6.3.3.1).</summary>
    Error,
    /// <summary>A fetch_ans to a fetch_req (§7.4.2.2): one StoredData per specifier holding <see cref="ForgeAction.Value"/>, or none ("not found").</summary>
    FetchAns,
    /// <summary>A message given whole in hex (<see cref="ForgeAction.Message"/>); its transaction id becomes the matched message's.</summary>
    Message,
}

/// <summary>Which way a forged message goes.</summary>
public enum ForgeRoute
{
    /// <summary>Toward the matched message's sender: an answer in place of its destination (UN-1c).</summary>
    Back,
    /// <summary>The way the matched message was going.</summary>
    Onward,
}

/// <summary>Inject a new message built from a template and the matched message.</summary>
public sealed record ForgeAction(ForgeTemplate Template) : AdversaryAction
{
    public ushort? ErrorCode { get; init; }
    public string? Info { get; init; }
    public Opaque? Value { get; init; }
    public ulong? StorageTime { get; init; }
    public uint? Lifetime { get; init; }
    public Opaque? Message { get; init; }
    public ForgeRoute Send { get; init; } = ForgeRoute.Back;
    public override string Verb => "forge";
}

/// <summary>Send the copies to forward to another node instead (UN-2b, misrouting).</summary>
public sealed record RedirectAction(string To) : AdversaryAction
{
    public override string Verb => "redirect";
}

/// <summary>Close the link after this message (or reset it: abort without an orderly close).</summary>
public sealed record CloseAction(bool Reset = false) : AdversaryAction
{
    public override string Verb => "close";
}
