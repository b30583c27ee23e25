using P2psip.Corpus;
using P2psip.Messages;

namespace P2psip.Adversary;

/// <summary>
/// The bodies a step's template starts from: the seed corpus's first body of each message code
/// (every method of §6.4 and §6.5, and the error response), so a step names a code and writes
/// only the fields it cares about.
/// </summary>
public static class StepTemplates
{
    private static readonly Lazy<Dictionary<ushort, MessageBody>> ByCode = new(() =>
    {
        var bodies = new Dictionary<ushort, MessageBody>();
        foreach (var source in SeedCorpus.BodySources)
            foreach (var (_, body) in source())
                bodies.TryAdd(body.Code, body);
        return bodies;
    });

    public static MessageBody? Body(ushort code) => ByCode.Value.GetValueOrDefault(code);

    public static IEnumerable<ushort> Codes => ByCode.Value.Keys.Order();
}
