using FsCheck;
using FsCheck.Fluent;
using P2psip.Adversary;
using P2psip.Links;
using P2psip.Wire;
using static P2psip.Tests.Generators.WireGen;

namespace P2psip.Tests.Generators;

/// <summary>
/// Generators of valid scenarios: every matcher condition, every action with its parameters and
/// signature treatments, identities from files and minted, names that need quoting in YAML.
/// References (identities to sign as, nodes to send to) always resolve, as the loader requires.
/// </summary>
public static class ScenarioGen
{
    private static readonly string[] Tricky = ["a", "x-1", "true", "null", "123", "0x10", "with space", "colon: here", "quote \" and 'single'", "#hash", "ünïcödé", "- dash", "[flow]", "~", "yes", "1e5", "a/b@c.d"];

    public static Gen<string> Text => Gen.OneOf(
        Gen.Elements(Tricky),
        Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcxyzABC019_-. :".ToCharArray()), n)).Select(c => new string(c))
            .Where(s => s.Trim().Length > 0));

    private static Gen<string?> Maybe(Gen<string> g) => Gen.OneOf(Gen.Constant<string?>(null), g.Select(s => (string?)s));
    private static Gen<long?> MaybeLong(int min, int max) => Gen.OneOf(Gen.Constant<long?>(null), Gen.Choose(min, max).Select(i => (long?)i));
    private static Gen<int?> MaybeInt(int min, int max) => Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(min, max).Select(i => (int?)i));
    private static Gen<Opaque> NonEmptyBytes => Bytes(1, 20);

    public static Gen<Scenario> Scenario =>
        from name in Text
        from description in Maybe(Text)
        from hasSeed in AnyBool
        from seed in AnyUInt64
        from identityCount in Gen.Choose(0, 3)
        from identities in Gen.ArrayOf(Identity, identityCount)
        from nodeCount in Gen.Choose(0, 3)
        from nodeIds in Gen.ArrayOf(NodeId(16), nodeCount)
        let named = identities.Select((id, i) => id with { Name = $"id{i}-{id.Name}" }).ToArray()
        let nodes = nodeIds.Select((id, i) => new ScenarioNode($"node{i}", id)).ToArray()
        from ruleCount in Gen.Choose(0, 4)
        from rules in Gen.ArrayOf(Rule(named.Select(i => i.Name).ToArray(), [.. named.Select(i => i.Name), .. nodes.Select(n => n.Name), "0a0b0c0d"]), ruleCount)
        from responders in List(NodeId(16), 2)
        from stepCount in Gen.Choose(0, 4)
        from steps in Gen.ArrayOf(Step(named.Select(i => i.Name).ToArray()), stepCount)
        select new Scenario(name)
        {
            Description = description,
            Seed = hasSeed ? seed : null,
            Identities = named,
            Nodes = nodes,
            Rules = rules,
            Responders = responders,
            Steps = steps,
        };

    /// <summary>Steps: captured bytes or a template with field values, any rewrites, every kind of expectation (normalised as the loader reads it).</summary>
    private static Gen<ScenarioStep> Step(string[] identities) =>
        from name in Maybe(Text)
        from sender in identities.Length == 0 ? Gen.Constant<string?>(null) : Maybe(Gen.Elements(identities))
        from captured in AnyBool
        from bytes in NonEmptyBytes
        from code in Gen.Elements(StepTemplates.Codes.ToArray())
        from fields in List(from path in Text from value in Gen.OneOf(Hex, AnyUInt32.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), AnyUInt16.Select(v => $"0x{v:x}")) select new StepField(path, value), 2)
        from rewrites in Gen.Choose(0, 15)
        from expect in Gen.OneOf(Gen.Constant<StepExpectation?>(null), Expectation.Select(e => (StepExpectation?)e))
        select new ScenarioStep(captured ? new StepMessage { Bytes = bytes, Fields = fields } : new StepMessage { Code = code, Fields = fields })
        {
            Name = name, From = sender, Rewrites = (ReplayRewrites)rewrites, Expect = expect,
        };

    private static Gen<StepExpectation> Expectation =>
        from kind in Gen.Choose(0, 3)
        from code in AnyUInt16
        from error in Gen.Choose(1, 0xFFFF)
        from hasCode in AnyBool
        from hasError in AnyBool
        from hasBytes in AnyBool
        from bytes in NonEmptyBytes
        from fields in List(FieldTest, 2)
        from liveness in Gen.Elements<StepLiveness?>(null, StepLiveness.Alive, StepLiveness.Lost)
        select kind switch
        {
            0 => new StepExpectation { Answer = StepAnswer.None, Liveness = liveness },
            1 => new StepExpectation { Liveness = liveness },
            2 => new StepExpectation { Answer = StepAnswer.Some, Liveness = liveness },
            _ => new StepExpectation
            {
                Answer = StepAnswer.Some,
                Code = hasError ? P2psip.Messages.MessageCodes.Error : hasCode ? code : null,
                ErrorCode = hasError ? (ushort)error : null,
                Bytes = hasBytes ? (P2psip.Wire.Opaque?)bytes : null,
                Fields = fields,
                Liveness = liveness,
            },
        };

    private static Gen<ScenarioIdentity> Identity => Gen.OneOf(
        from name in Text from key in Text from cert in Text
        select new ScenarioIdentity(name) { KeyFile = key, CertificateFile = cert },
        from name in Text
        from user in Maybe(Text)
        from ids in List(NodeId(16), 2)
        from issuer in Gen.Elements(IdentityIssuer.Lab, IdentityIssuer.Foreign, IdentityIssuer.SelfSigned)
        from expired in AnyBool
        select new ScenarioIdentity(name) { User = user, NodeIds = ids, Issuer = issuer, Expired = expired });

    private static Gen<Rule> Rule(string[] identities, string[] nodes) =>
        from name in Maybe(Text)
        from match in Matcher(nodes, 2)
        from actionCount in Gen.Choose(1, 4)
        from actions in Gen.ArrayOf(Action(identities, nodes), actionCount)
        from nth in MaybeLong(1, 50)
        from every in MaybeLong(1, 50)
        from after in MaybeLong(0, 50)
        from limit in MaybeLong(0, 50)
        from probability in Gen.OneOf(Gen.Constant<double?>(null), Gen.Elements<double?>(0, 1, 0.5, 1e-7, 0.999999), Gen.Choose(0, 1_000_000).Select(i => (double?)(i / 1_000_000.0)))
        select new Rule(match, actions) { Name = name, Nth = nth, Every = every, After = after, Limit = limit, Probability = probability };

    private static Gen<Matcher> Matcher(string[] nodes, int depth)
    {
        var node = Gen.OneOf(Gen.Constant<string?>(null), (nodes.Length > 0 ? Gen.Elements(nodes) : Gen.Constant("0a0b0c0d")).Select(n => (string?)n));
        var sub = depth == 0 ? Gen.Constant<ValueList<Matcher>?>(null)
            : Gen.OneOf(Gen.Constant<ValueList<Matcher>?>(null), List(Matcher(nodes, depth - 1), 2).Select(l => (ValueList<Matcher>?)l));
        var not = depth == 0 ? Gen.Constant<Matcher?>(null)
            : Gen.OneOf(Gen.Constant<Matcher?>(null), Matcher(nodes, depth - 1).Select(m => (Matcher?)m));
        return
            from direction in Gen.Elements<LinkDirection?>(null, LinkDirection.Inbound, LinkDirection.Outbound)
            from cls in Gen.Elements<MessageClass?>(null, MessageClass.Request, MessageClass.Response)
            from codes in Gen.OneOf(Gen.Constant<ValueList<ushort>?>(null), Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(AnyUInt16, n)).Select(a => (ValueList<ushort>?)new ValueList<ushort>(a)))
            from remote in node
            from local in node
            from source in node
            from destination in node
            from kinds in Gen.OneOf(Gen.Constant<ValueList<uint>?>(null), Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(AnyUInt32, n)).Select(a => (ValueList<uint>?)new ValueList<uint>(a)))
            from fields in Gen.OneOf(Gen.Constant<ValueList<FieldTest>?>(null), List(FieldTest, 2).Select(l => (ValueList<FieldTest>?)l))
            from decodable in Gen.Elements<bool?>(null, true, false)
            from all in sub
            from any in sub
            from n in not
            select new Matcher
            {
                Direction = direction, Class = cls, Codes = codes, Remote = remote, Local = local, Source = source,
                Destination = destination, KindIds = kinds, Fields = fields, Decodable = decodable, All = all, Any = any, Not = n,
            };
    }

    private static Gen<FieldTest> FieldTest =>
        from path in Text
        from op in Gen.Elements(Enum.GetValues<CompareOp>())
        from value in Gen.OneOf(Text, AnyUInt64.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        select new FieldTest(path, op, op is CompareOp.Exists or CompareOp.Absent ? null : value);

    private static Gen<SignatureTreatment?> Signature(string[] identities) => Gen.OneOf(
        Gen.Constant<SignatureTreatment?>(null),
        Gen.Constant<SignatureTreatment?>(SignatureTreatment.Keep),
        Gen.Constant<SignatureTreatment?>(SignatureTreatment.Strip),
        identities.Length == 0 ? Gen.Constant<SignatureTreatment?>(null) : Gen.Elements(identities).Select(i => (SignatureTreatment?)SignatureTreatment.ResignAs(i)));

    private static Gen<string> Hex => NonEmptyBytes.Select(b => b.ToHex());

    private static Gen<AdversaryAction> Action(string[] identities, string[] nodes)
    {
        var target = nodes.Length > 0 ? Gen.Elements(nodes) : Gen.Constant("0a0b0c0d");
        var number = Gen.Choose(0, int.MaxValue).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var actions = Gen.OneOf(
            Gen.Constant<AdversaryAction>(PassAction.Instance),
            Gen.Constant<AdversaryAction>(DropAction.Instance),
            from ms in Gen.Choose(0, 100_000) from jitter in Gen.Choose(0, 1000) select (AdversaryAction)new DelayAction(ms, jitter),
            Gen.Choose(1, 100).Select(c => (AdversaryAction)new DuplicateAction(c)),
            from byCount in AnyBool from n in Gen.Choose(1, 1000) from to in Maybe(target) from count in Gen.Choose(1, 5)
            select (AdversaryAction)new ReplayAction { AfterMessages = byCount ? n : null, AfterMilliseconds = byCount ? null : n - 1, To = to, Count = count },
            from path in Text from op in Gen.Elements(Enum.GetValues<MutationOp>())
            from value in Gen.OneOf(number, Hex) from hex in Hex from offset in MaybeInt(0, 100) from count in MaybeInt(0, 100)
            select (AdversaryAction)new MutateAction(path, op, op switch
            {
                MutationOp.Set or MutationOp.Add or MutationOp.Xor => value,
                MutationOp.Insert => hex,
                _ => null,
            }) { Offset = offset, Count = op == MutationOp.Truncate ? count ?? 3 : count },
            from place in Gen.Elements(Enum.GetValues<SpliceWhere>()) from path in Text from bytes in Bytes(0, 8)
            from offset in Gen.Choose(0, 500) from delete in Gen.Choose(0, 10)
            select (AdversaryAction)(place == SpliceWhere.At
                ? new SpliceAction(place, bytes) { Offset = offset, Delete = delete }
                : new SpliceAction(place, bytes) { Path = path }),
            from template in Gen.Elements(Enum.GetValues<ForgeTemplate>()) from code in Gen.Choose(1, 0xFFFF) from info in Maybe(Text)
            from value in NonEmptyBytes from hasValue in AnyBool from st in AnyUInt64 from lt in AnyUInt32 from message in NonEmptyBytes
            from send in Gen.Elements(ForgeRoute.Back, ForgeRoute.Onward)
            select (AdversaryAction)(template switch
            {
                ForgeTemplate.Error => new ForgeAction(template) { ErrorCode = (ushort)code, Info = info, Send = send },
                ForgeTemplate.FetchAns => new ForgeAction(template) { Value = hasValue ? (P2psip.Wire.Opaque?)value : null, StorageTime = hasValue ? st : null, Lifetime = hasValue ? lt : null, Send = send },
                _ => new ForgeAction(template) { Message = message, Send = send },
            }),
            target.Select(t => (AdversaryAction)new RedirectAction(t)),
            AnyBool.Select(reset => (AdversaryAction)new CloseAction(reset)));
        return from action in actions
               from signature in Signature(identities)
               select action is DropAction or DelayAction or CloseAction ? action : action with { Signature = signature };
    }
}
