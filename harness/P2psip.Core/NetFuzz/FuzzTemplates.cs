using P2psip.Corpus;
using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Topology;
using P2psip.Wire;

namespace P2psip.NetFuzz;

/// <summary>
/// The valid bodies sessions start from: every request and answer of the seed corpus (every method
/// of §6.4 and §6.5; deterministic bytes), plus the topology requests a party sends about itself
/// (Join, Leave and Update naming its own Node-ID, §10.5, §10.6, §10.7.3), which the SUT takes
/// further than the corpus's foreign ones.
/// </summary>
public static class FuzzTemplates
{
    private static readonly (string Name, MessageBody Body)[] Corpus =
        SeedCorpus.BodySources.SelectMany(source => source()).ToArray();

    /// <summary>Corpus requests (odd message codes, §6.3.3.1).</summary>
    public static IReadOnlyList<(string Name, MessageBody Body)> Requests { get; } =
        Corpus.Where(b => b.Body.Code % 2 == 1 && b.Body.Code != MessageCodes.Error).ToArray();

    /// <summary>Corpus answers and the error response: sent as answers to requests never made.</summary>
    public static IReadOnlyList<(string Name, MessageBody Body)> Answers { get; } =
        Corpus.Where(b => b.Body.Code % 2 == 0 || b.Body.Code == MessageCodes.Error).ToArray();

    public static JoinReq Join(Opaque joiner) => new(joiner, Opaque.Empty);

    public static LeaveReq Leave(Opaque leaver) => new(leaver, ChordLeaveData.FromPred([leaver]));

    public static UpdateReq Update(Opaque self, uint uptime = 3600) => new(new FullUpdate(uptime, [self], [self], []));
}
