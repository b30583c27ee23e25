using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// The C# face of scenario files: the same model, built fluently.
/// <code>
/// var scenario = new ScenarioBuilder("lying-responder").Seed(7)
///     .Identity(new ScenarioIdentity("liar"))
///     .Rule(RuleBuilder.When(Matcher.Inbound &amp; Matcher.Code(MessageCodes.FetchReq))
///         .Drop().Forge(new ForgeAction(ForgeTemplate.Error)).Limit(3).Named("not-found"))
///     .Build();
/// </code>
/// </summary>
public sealed class ScenarioBuilder(string name)
{
    private readonly List<ScenarioIdentity> _identities = [];
    private readonly List<ScenarioNode> _nodes = [];
    private readonly List<Rule> _rules = [];
    private readonly List<ScenarioStep> _steps = [];
    private readonly List<Opaque> _responders = [];
    private ulong? _seed;
    private string? _description;

    public ScenarioBuilder Seed(ulong seed) { _seed = seed; return this; }
    public ScenarioBuilder Description(string text) { _description = text; return this; }
    public ScenarioBuilder Identity(ScenarioIdentity identity) { _identities.Add(identity); return this; }
    public ScenarioBuilder Node(string name, Opaque nodeId) { _nodes.Add(new ScenarioNode(name, nodeId)); return this; }
    public ScenarioBuilder Rule(Rule rule) { _rules.Add(rule); return this; }
    public ScenarioBuilder Rule(RuleBuilder rule) => Rule(rule.Build());
    public ScenarioBuilder Responder(Opaque nodeId) { _responders.Add(nodeId); return this; }
    public ScenarioBuilder Step(ScenarioStep step) { _steps.Add(step); return this; }

    /// <summary>A step: <paramref name="send"/> from <paramref name="from"/> (null: the run's stand-in), expecting <paramref name="expect"/>.</summary>
    public ScenarioBuilder Step(StepMessage send, StepExpectation? expect = null, string? from = null, string? name = null,
        ReplayRewrites rewrites = ReplayRewrites.All) =>
        Step(new ScenarioStep(send) { Expect = expect, From = from, Name = name, Rewrites = rewrites });

    public Scenario Build() => new(name)
    {
        Seed = _seed,
        Description = _description,
        Identities = _identities.ToArray(),
        Nodes = _nodes.ToArray(),
        Rules = _rules.ToArray(),
        Responders = _responders.ToArray(),
        Steps = _steps.ToArray(),
    };
}

/// <summary>One rule, built fluently: a matcher, then actions in the order they run, then counters.</summary>
public sealed class RuleBuilder
{
    private readonly Matcher _match;
    private readonly List<AdversaryAction> _actions = [];
    private string? _name;
    private long? _nth, _every, _after, _limit;
    private double? _probability;

    private RuleBuilder(Matcher match) => _match = match;

    public static RuleBuilder When(Matcher match) => new(match);

    public RuleBuilder Then(AdversaryAction action) { _actions.Add(action); return this; }
    public RuleBuilder Pass() => Then(PassAction.Instance);
    public RuleBuilder Drop() => Then(DropAction.Instance);
    public RuleBuilder Delay(int milliseconds, int jitter = 0) => Then(new DelayAction(milliseconds, jitter));
    public RuleBuilder Duplicate(int count = 1, SignatureTreatment? signature = null) => Then(new DuplicateAction(count) { Signature = signature });
    public RuleBuilder ReplayAfterMessages(long messages, string? to = null, int count = 1, SignatureTreatment? signature = null) =>
        Then(new ReplayAction { AfterMessages = messages, To = to, Count = count, Signature = signature });
    public RuleBuilder ReplayAfter(TimeSpan after, string? to = null, int count = 1, SignatureTreatment? signature = null) =>
        Then(new ReplayAction { AfterMilliseconds = (long)after.TotalMilliseconds, To = to, Count = count, Signature = signature });
    public RuleBuilder Mutate(string path, MutationOp op, string? value = null, SignatureTreatment? signature = null) =>
        Then(new MutateAction(path, op, value) { Signature = signature });
    public RuleBuilder Forge(ForgeAction forge) => Then(forge);
    public RuleBuilder Redirect(string to, SignatureTreatment? signature = null) => Then(new RedirectAction(to) { Signature = signature });
    public RuleBuilder Close(bool reset = false) => Then(new CloseAction(reset));

    public RuleBuilder Named(string name) { _name = name; return this; }
    public RuleBuilder Nth(long n) { _nth = n; return this; }
    public RuleBuilder Every(long n) { _every = n; return this; }
    public RuleBuilder After(long n) { _after = n; return this; }
    public RuleBuilder Limit(long n) { _limit = n; return this; }
    public RuleBuilder Probability(double p) { _probability = p; return this; }

    public Rule Build() => new(_match, _actions.ToArray())
    {
        Name = _name, Nth = _nth, Every = _every, After = _after, Limit = _limit, Probability = _probability,
    };

    public static implicit operator Rule(RuleBuilder b) => b.Build();
}
