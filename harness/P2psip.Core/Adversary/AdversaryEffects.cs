using P2psip.Links;

namespace P2psip.Adversary;

/// <summary>
/// One thing the link pipeline must do because of a decision. A decision with no
/// <see cref="ForwardEffect"/> and no <see cref="RedirectEffect"/> drops the message.
/// </summary>
public abstract record AdversaryEffect;

/// <summary>Pass these bytes on along the message's own direction, now or after <see cref="Delay"/>.</summary>
public sealed record ForwardEffect(byte[] Bytes, TimeSpan Delay) : AdversaryEffect
{
    public override string ToString() => Delay == TimeSpan.Zero ? $"forward {Bytes.Length} bytes" : $"forward {Bytes.Length} bytes after {Delay.TotalMilliseconds} ms";
}

/// <summary>Send these bytes to another node instead of along this link.</summary>
public sealed record RedirectEffect(byte[] Bytes, NodeTarget To, TimeSpan Delay) : AdversaryEffect
{
    public override string ToString() => $"redirect {Bytes.Length} bytes to {To}";
}

/// <summary>
/// A message the adversary adds on this link: a forged one, or a replay falling due.
/// <see cref="Direction"/> is relative to the link end, like the message's own.
/// </summary>
public sealed record InjectEffect(byte[] Bytes, LinkDirection Direction, TimeSpan Delay) : AdversaryEffect
{
    public override string ToString() => $"inject {Bytes.Length} bytes {Direction.ToString().ToLowerInvariant()}";
}

/// <summary>
/// A replay timed in milliseconds, which the pipeline runs on its own clock: send the bytes after
/// <see cref="After"/>, on this link in <see cref="Direction"/>, or to <see cref="To"/> when set.
/// (Replays counted in messages are released by the engine itself as <see cref="InjectEffect"/>s.)
/// </summary>
public sealed record ScheduleEffect(byte[] Bytes, LinkDirection Direction, NodeTarget? To, TimeSpan After) : AdversaryEffect
{
    public override string ToString() => $"schedule {Bytes.Length} bytes after {After.TotalMilliseconds} ms" + (To is null ? "" : $" to {To}");
}

/// <summary>Close the link (an orderly close), or reset it (abort).</summary>
public sealed record CloseLinkEffect(bool Reset) : AdversaryEffect
{
    public override string ToString() => Reset ? "reset link" : "close link";
}
