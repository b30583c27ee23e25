using System.Security.Cryptography;
using P2psip.Messages;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>Run settings of an engine: the seed (overrides the scenario's), the resolved identities, the log.</summary>
public sealed record AdversaryEngineOptions
{
    public ulong? Seed { get; init; }
    /// <summary>The scenario's identities by name, with keys (<see cref="ScenarioIdentities.Resolve"/> makes them).</summary>
    public IReadOnlyDictionary<string, Identity> Identities { get; init; } = new Dictionary<string, Identity>();
    public DecisionLog? Log { get; init; }
}

/// <summary>
/// The adversary's core: for each message a link pipeline hands it, a synchronous decision — a list
/// of effects (forward these bytes now or later, duplicate, drop, redirect, inject a forged message,
/// schedule a replay, close or reset the link) — from the scenario's rules, tried in order, the
/// first that fires deciding. State: per-rule counters and replays waiting for a message count.
/// Every random choice comes from <see cref="DecisionRandom"/> (seed ‖ rule ‖ position), every
/// decision goes to the <see cref="DecisionLog"/>. Thread-safe (one decision at a time).
/// </summary>
public sealed class AdversaryEngine
{
    private readonly object _lock = new();
    private readonly long[] _matched;
    private readonly long[] _fired;
    private readonly List<PendingReplay> _pending = [];
    private readonly NodeResolver _nodes;
    private readonly MatcherEvaluator _matcher;
    private readonly CopyWriter _writer;
    private readonly Dictionary<string, NodeTarget> _targets = new(StringComparer.Ordinal);

    private sealed record PendingReplay(byte[] Bytes, Links.LinkDirection Direction, NodeTarget? To, int Rule)
    {
        public long Remaining { get; set; }
    }

    public AdversaryEngine(Scenario scenario, AdversaryEngineOptions? options = null)
    {
        options ??= new AdversaryEngineOptions();
        Scenario = scenario;
        Seed = options.Seed ?? scenario.Seed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        Log = options.Log ?? new DecisionLog();
        _nodes = new NodeResolver(scenario, options.Identities);
        _matcher = new MatcherEvaluator(_nodes);
        _writer = new CopyWriter(options.Identities);
        _matched = new long[scenario.Rules.Count];
        _fired = new long[scenario.Rules.Count];
        // Check every reference now, so a run cannot fail half-way on a typo.
        for (int i = 0; i < scenario.Rules.Count; i++)
            foreach (var action in scenario.Rules[i].Actions)
            {
                if (action.Signature is { Mode: SignatureMode.Resign } s) _writer.Identity(s.As);
                var to = action switch { RedirectAction r => r.To, ReplayAction { To: { } t } => t, _ => null };
                if (to is not null) _targets[to] = _nodes.Target(to);
            }
        Log.Start(scenario.Name, Seed);
    }

    public Scenario Scenario { get; }
    /// <summary>The run seed: print it, so a run can be repeated.</summary>
    public ulong Seed { get; }
    public DecisionLog Log { get; }
    public NodeResolver Nodes => _nodes;

    private long _nextPosition = -1;

    /// <summary>A fresh message position (0, 1, 2...) for callers that share this engine between links.</summary>
    public long NextPosition() => Interlocked.Increment(ref _nextPosition);

    /// <summary>Decides what happens to one message. Never throws on the message's bytes.</summary>
    public AdversaryDecision Decide(AdversaryMessage message)
    {
        lock (_lock)
        {
            var view = new MessageView(message);
            var effects = new List<AdversaryEffect>();
            var notes = new List<string>();
            var actions = new List<string>();
            IReadOnlyList<RandomDraw> draws = [];
            int? decidedBy = null;
            var released = ReleaseDueReplays();
            for (int i = 0; i < Scenario.Rules.Count && decidedBy is null; i++)
            {
                var rule = Scenario.Rules[i];
                if (!_matcher.Matches(rule.Match, view)) continue;
                long k = ++_matched[i];
                if (rule.After is { } after && k <= after) continue;
                if (rule.Nth is { } nth && k != nth) continue;
                if (rule.Every is { } every && every > 0 && k % every != 0) continue;
                if (rule.Limit is { } limit && _fired[i] >= limit) continue;
                var random = new DecisionRandom(Seed, i, message.Position);
                if (rule.Probability is { } p && random.NextDouble("probability") >= p)
                {
                    draws = random.Draws;
                    notes.Add($"rule {i}: matched, not drawn (p={p})");
                    continue;
                }
                _fired[i]++;
                decidedBy = i;
                Apply(rule, i, view, random, effects, notes, actions);
                draws = random.Draws;
            }
            if (decidedBy is null) effects.Add(new ForwardEffect(message.Bytes, TimeSpan.Zero));
            effects.AddRange(released);
            var record = new DecisionRecord(message.Time, message.Position, message.Direction, null!, view.CodeName,
                decidedBy, decidedBy is { } d ? Scenario.Rules[d].Name : null,
                actions, draws, effects.Select(e => e.ToString()!).ToArray(), notes)
            { DigestOf = message.Bytes };
            Log.Add(record);
            return new AdversaryDecision(effects, decidedBy, record);
        }
    }

    private void Apply(Rule rule, int ruleIndex, MessageView view, DecisionRandom random, List<AdversaryEffect> effects, List<string> notes, List<string> actions)
    {
        var original = new WorkingCopy
        {
            Role = CopyRole.Forward,
            Model = view.Decoded,
            Raw = view.Message.Bytes,
            Direction = view.Message.Direction,
        };
        var copies = new List<WorkingCopy> { original };
        bool close = false, reset = false;
        foreach (var action in rule.Actions)
        {
            actions.Add(action.Verb);
            var touched = new List<WorkingCopy>();
            try
            {
                switch (action)
                {
                    case PassAction:
                        break;
                    case DropAction:
                        copies.RemoveAll(c => c.Role is CopyRole.Forward or CopyRole.Redirect);
                        break;
                    case DelayAction delay:
                        foreach (var c in copies.Where(c => c.Role is CopyRole.Forward or CopyRole.Redirect))
                        {
                            long jitter = delay.JitterMilliseconds > 0 ? random.NextInRange("jitter", -delay.JitterMilliseconds, delay.JitterMilliseconds) : 0;
                            c.Delay += TimeSpan.FromMilliseconds(Math.Max(0, delay.Milliseconds + jitter));
                        }
                        break;
                    case DuplicateAction duplicate:
                        foreach (var c in copies.Where(c => c.Role == CopyRole.Forward).ToList())
                            for (int n = 0; n < duplicate.Count; n++)
                            {
                                var dup = c.Clone(CopyRole.Forward);
                                copies.Add(dup);
                                touched.Add(dup);
                            }
                        break;
                    case ReplayAction replay:
                    {
                        var source = copies.FirstOrDefault(c => c.Role is CopyRole.Forward or CopyRole.Redirect) ?? original;
                        for (int n = 1; n <= Math.Max(1, replay.Count); n++)
                        {
                            var again = source.Clone(CopyRole.Replay);
                            again.Delay = TimeSpan.Zero;
                            again.Direction = view.Message.Direction;
                            again.To = replay.To is { } to ? _targets[to] : null;
                            again.AfterMessages = replay.AfterMessages * n;
                            again.AfterTime = replay.AfterMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms * n) : null;
                            copies.Add(again);
                            touched.Add(again);
                        }
                        break;
                    }
                    case MutateAction mutate:
                        foreach (var c in copies.Where(c => c.Role != CopyRole.Inject))
                        {
                            if (FieldMutator.Apply(mutate, c, random) is { } note) notes.Add(note);
                            touched.Add(c);
                        }
                        break;
                    case SpliceAction splice:
                        foreach (var c in copies.Where(c => c.Role != CopyRole.Inject))
                        {
                            Splice(splice, c, notes);
                            touched.Add(c);
                        }
                        break;
                    case ForgeAction forge:
                        if (ForgedMessages.Build(forge, view, _writer.Identity, notes) is { } forged)
                        {
                            copies.Add(forged);
                            touched.Add(forged);
                        }
                        break;
                    case RedirectAction redirect:
                        foreach (var c in copies.Where(c => c.Role == CopyRole.Forward))
                        {
                            c.Role = CopyRole.Redirect;
                            c.To = _targets[redirect.To];
                            touched.Add(c);
                        }
                        break;
                    case CloseAction closeAction:
                        close = true;
                        reset |= closeAction.Reset;
                        break;
                }
            }
            catch (Exception e) when (e is WireEncodeException or ArgumentException or FormatException)
            {
                // A value that does not fit its field, say: the action is skipped, the log says why.
                notes.Add($"{action.Verb}: {e.Message}");
            }
            if (action.Signature is { } signature)
                foreach (var c in touched.Count > 0 ? touched : copies) c.Signature = signature;
        }

        foreach (var c in copies)
        {
            byte[] bytes;
            try { bytes = _writer.Write(c, view.Message.Bytes, notes); }
            catch (Exception e) when (e is WireEncodeException or ArgumentException)
            {
                notes.Add($"write: {e.Message}; the original bytes are used");
                bytes = view.Message.Bytes;
            }
            switch (c.Role)
            {
                case CopyRole.Forward: effects.Add(new ForwardEffect(bytes, c.Delay)); break;
                case CopyRole.Redirect: effects.Add(new RedirectEffect(bytes, c.To!, c.Delay)); break;
                case CopyRole.Inject: effects.Add(new InjectEffect(bytes, c.Direction, c.Delay)); break;
                case CopyRole.Replay when c.AfterTime is { } after:
                    effects.Add(new ScheduleEffect(bytes, c.Direction, c.To, after)); break;
                case CopyRole.Replay:
                    _pending.Add(new PendingReplay(bytes, c.Direction, c.To, ruleIndex) { Remaining = Math.Max(1, c.AfterMessages ?? 1) }); break;
            }
        }
        if (close) effects.Add(new CloseLinkEffect(reset));
    }

    private static void Splice(SpliceAction splice, WorkingCopy c, List<string> notes)
    {
        if (splice.Where == SpliceWhere.At || c.Model is null)
        {
            if (splice.Where != SpliceWhere.At) notes.Add($"splice {splice.Path}: the message does not decode; spliced at offset {splice.Offset}");
            c.RawSplices.Add(splice);
            return;
        }
        var path = splice.Path ?? "";
        if (ReloadCodec.FieldMap(c.Model, c.Edits).Find(path) is null)
        {
            notes.Add($"splice {path}: no such field in {c.Model}");
            return;
        }
        switch (splice.Where)
        {
            case SpliceWhere.Before: c.Edits.InsertBefore(path, splice.Bytes.Span); break;
            case SpliceWhere.After: c.Edits.InsertAfter(path, splice.Bytes.Span); break;
            default: c.Edits.Replace(path, splice.Bytes.Span); break;
        }
    }

    /// <summary>Replays counted in messages: one more message is seen; those due go out with it, after its own effects.</summary>
    private List<AdversaryEffect> ReleaseDueReplays()
    {
        var effects = new List<AdversaryEffect>();
        if (_pending.Count == 0) return effects;
        foreach (var p in _pending.ToList())
        {
            if (--p.Remaining > 0) continue;
            _pending.Remove(p);
            effects.Add(p.To is { } to ? new RedirectEffect(p.Bytes, to, TimeSpan.Zero) : new InjectEffect(p.Bytes, p.Direction, TimeSpan.Zero));
        }
        return effects;
    }
}
