using P2psip.Messages;
using P2psip.NetFuzz;
using P2psip.Peer;

namespace P2psip.Tests.NetFuzz;

public sealed class SessionGeneratorTests
{
    [Fact]
    public void SameSeedGivesTheSameCasesInAnotherLab()
    {
        // Two labs of one seed have other keys and certificates, but the same Node-IDs: the same cases.
        var a = new FuzzTestLab(42);
        var b = new FuzzTestLab(42);
        for (long i = 0; i < 200; i++) Assert.Equal(a.Case(i).Digest(), b.Case(i).Digest());
    }

    [Fact]
    public void CasesDifferByIndexAndSeed()
    {
        var a = new FuzzTestLab(42);
        var digests = Enumerable.Range(0, 200).Select(i => a.Case(i).Digest()).ToList();
        Assert.True(digests.Distinct().Count() >= 195, $"only {digests.Distinct().Count()} distinct sessions of 200");
        var other = new FuzzTestLab(43);
        Assert.NotEqual(a.Case(5).Digest(), other.Case(5).Digest());
    }

    [Fact]
    public void EveryCaseMutatesAndEveryRequestMethodIsUsed()
    {
        var lab = new FuzzTestLab(7);
        var methods = new HashSet<ushort>();
        for (long i = 0; i < 400; i++)
        {
            var session = lab.Case(i);
            Assert.NotEmpty(session.Mutations);
            foreach (var m in session.Messages) methods.Add(m.Template.MessageCode);
        }
        foreach (var (name, body) in FuzzTemplates.Requests) Assert.True(methods.Contains(body.Code), $"no session sent {name}");
        Assert.Contains(MessageCodes.PingAns, methods);
    }

    [Fact]
    public void SequenceMutationsOfEveryKindAppear()
    {
        var lab = new FuzzTestLab(7);
        var notes = Enumerable.Range(0, 400).SelectMany(i => lab.Case(i).Mutations).ToList();
        foreach (var kind in new[] { "drop ", "duplicate ", "reorder ", "replay ", "update storm", "join without attach", "leave for ", "request never sent", "set ", "truncate", "splice", "repeat " })
            Assert.True(notes.Any(n => n.Contains(kind, StringComparison.Ordinal)), $"no '{kind}' in 400 cases");
    }

    [Fact]
    public void DeepNestingAndCrossedKindsAndDataModelsAppear()
    {
        var lab = new FuzzTestLab(7);
        var notes = Enumerable.Range(0, 400).SelectMany(i => lab.Case(i).Mutations).ToList();
        int Count(string pattern) => notes.Count(n => System.Text.RegularExpressions.Regex.IsMatch(n, pattern));
        // Deep nesting: a list element inside another list (depth 2 and more) repeated hundreds of times.
        Assert.True(Count(@"nest \S+ x\d{3,} \(depth [2-9]\)") >= 5, $"{Count(@"nest .*depth [2-9]")} deep nestings in 400 cases");
        Assert.True(Count(@"nest \S*destination_list\[") >= 1, "no destination list nested");
        // Kinds crossed: a Kind ID swapped for one of another data model; entries rewritten in another model's form.
        Assert.True(Count(@"cross \S+\.kind kind 1 \(SIP-REGISTRATION, dictionary\) -> \d+ \(\S+, (single|array)\)") >= 3, "no dictionary Kind crossed");
        foreach (var change in new[] { "dictionary_entry -> single", "dictionary_entry -> array" })
            Assert.True(notes.Any(n => n.Contains(change, StringComparison.Ordinal)), $"no '{change}' in 400 cases");
        // And every such session still encodes (a mutation the encoder cannot write is not kept).
        foreach (var i in Enumerable.Range(0, 400))
            foreach (var m in lab.Case(i).Messages) Assert.NotEmpty(m.TemplateBytes());
    }

    [Fact]
    public void PartiesSitBetweenTheSutAndTheCanary()
    {
        // A party that joins takes over (its predecessor, itself] (§10.3): never the canary's Resource-ID.
        var lab = new FuzzTestLab(11);
        var canary = new P2psip.Conformance.Running.Canary(P2psip.Conformance.CertificationLab.Create(11));
        static System.Numerics.BigInteger N(ReadOnlySpan<byte> b) => new(b, isUnsigned: true, isBigEndian: true);
        var ring = System.Numerics.BigInteger.One << 128;
        var sut = N(lab.Lab.SutIdentity.NodeId.Span);
        var arc = ((N(canary.ResourceId.Span) - sut) % ring + ring) % ring;
        foreach (var party in lab.Parties.Identities)
        {
            var d = ((N(party.NodeId.Span) - sut) % ring + ring) % ring;
            Assert.InRange(d, System.Numerics.BigInteger.One, arc - 1);
        }
    }

    [Fact]
    public void EachInjectedFaultIsReachableWithinAShortCampaign()
    {
        var lab = new FuzzTestLab(1);
        foreach (var fault in InjectedFault.Catalogue)
            Assert.InRange(lab.FirstTripping(fault, 3000), 0, 2999);
    }

    [Theory]
    [InlineData("g1-s42-000017", 1, 42, 17)]
    [InlineData("g2-s42-000017", 2, 42, 17)]
    [InlineData("g1-s-5-1234567", 1, -5, 1234567)]
    public void CaseIdsRoundTrip(string text, int generator, int seed, long index)
    {
        Assert.True(FuzzCaseId.TryParse(text, out var id));
        Assert.Equal(new FuzzCaseId(generator, seed, index), id);
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData("g1-42-17")]
    [InlineData("x1-s42-17")]
    [InlineData("g1-s42")]
    public void BadCaseIdsAreRefused(string text) => Assert.False(FuzzCaseId.TryParse(text, out _));

    [Fact]
    public void ShardsTogetherCoverExactlyTheUnshardedCases()
    {
        var all = new FuzzSettings { Cases = 1000 }.Indices().ToList();
        var shards = Enumerable.Range(0, 4).Select(i => new FuzzSettings { Cases = 1000, ShardIndex = i, ShardCount = 4 }.Indices().ToList()).ToList();
        Assert.Equal(all, shards.SelectMany(s => s).Order().ToList());
        Assert.Equal(1000, shards.Sum(s => s.Count));
        var range = new FuzzSettings { RangeStart = 10, RangeEnd = 19, ShardIndex = 1, ShardCount = 3 }.Indices().ToList();
        Assert.Equal([10, 13, 16, 19], range);
    }
}
