using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// A matcher and the actions taken when the rule fires. Counters count the messages the matcher
/// accepted (1 for the first): <see cref="Nth"/> fires on exactly that one, <see cref="Every"/> on
/// each multiple, <see cref="After"/> only once more than that many matched; <see cref="Limit"/>
/// caps how often the rule fires; <see cref="Probability"/> draws from the run seed, the rule index
/// and the message position. Rules are tried in order and the first that fires decides.
/// </summary>
public sealed record Rule(Matcher Match, ValueList<AdversaryAction> Actions)
{
    public string? Name { get; init; }
    public long? Nth { get; init; }
    public long? Every { get; init; }
    public long? After { get; init; }
    public long? Limit { get; init; }
    public double? Probability { get; init; }
}
