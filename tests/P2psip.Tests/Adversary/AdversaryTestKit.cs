using P2psip.Adversary;
using P2psip.Links;
using P2psip.Messages;
using P2psip.Security;
using P2psip.Tests.Fuzz;
using P2psip.Tests.Security;
using P2psip.Wire;

namespace P2psip.Tests.Adversary;

/// <summary>Corpus messages, link-end Node-IDs and engines with the shared test identities, for the adversary tests.</summary>
internal static class AdversaryTestKit
{
    public static readonly Opaque Local = Opaque.FromHex("0100000000000000000000000000000a");
    public static readonly Opaque Remote = Opaque.FromHex("0200000000000000000000000000000b");

    public static byte[] CorpusMessage(string name) => File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "corpus", name + ".bin"));

    /// <summary>Every corpus file that is a RELOAD message (not the framed ACK).</summary>
    public static IEnumerable<string> MessageNames() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "corpus"), "*.bin")
            .Select(Path.GetFileNameWithoutExtension).Where(n => n != "ack").Order(StringComparer.Ordinal)!;

    public static ReloadMessage Decode(byte[] bytes) => ReloadCodec.Decode(bytes).GetValueOrThrow();

    public static IReadOnlyDictionary<string, Identity> Identities => new Dictionary<string, Identity>
    {
        ["alice"] = TestPki.Shared.Alice,
        ["bob"] = TestPki.Shared.Bob,
    };

    public static AdversaryEngine Engine(Scenario scenario, ulong seed = 1, DecisionLog? log = null) =>
        new(scenario, new AdversaryEngineOptions { Seed = seed, Identities = Identities, Log = log });

    public static AdversaryEngine Engine(string yaml, ulong seed = 1, DecisionLog? log = null) =>
        Engine(ScenarioFile.Parse(yaml), seed, log);

    public static AdversaryMessage Message(byte[] bytes, LinkDirection direction = LinkDirection.Outbound, long position = 0) =>
        new(bytes, direction, position) { LocalNodeId = Local, RemoteNodeId = Remote, Time = TimeSpan.FromMilliseconds(position) };

    /// <summary>One rule: this matcher (YAML flow) and these actions (YAML list items).</summary>
    public static string OneRule(string actions, string match = "{}", string extra = "") => $"""
        name: test
        identities:
          - name: alice
          - name: bob
        rules:
          - match: {match}
            {extra}
            actions: {actions}
        """;

    /// <summary>The offsets at which two byte arrays of equal length differ.</summary>
    public static int[] Differences(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToArray();
    }
}
