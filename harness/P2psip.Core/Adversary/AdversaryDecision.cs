namespace P2psip.Adversary;

/// <summary>
/// What to do with one message: the effects in the order to apply them, the rule that decided
/// (null when none fired and the message passes unchanged), and the log record of the decision.
/// </summary>
public sealed record AdversaryDecision(IReadOnlyList<AdversaryEffect> Effects, int? RuleIndex, DecisionRecord Record)
{
    /// <summary>True when neither the message nor a changed copy of it goes anywhere.</summary>
    public bool Dropped => !Effects.Any(e => e is ForwardEffect or RedirectEffect);

    /// <summary>The bytes to pass on at once on the message's own way, if one copy goes so.</summary>
    public byte[]? ImmediateForward => Effects.OfType<ForwardEffect>().FirstOrDefault(f => f.Delay == TimeSpan.Zero)?.Bytes;
}
