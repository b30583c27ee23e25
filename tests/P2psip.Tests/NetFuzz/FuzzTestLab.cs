using System.Net;
using P2psip.Conformance;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Running;
using P2psip.Messages;
using P2psip.NetFuzz;
using P2psip.Peer;

namespace P2psip.Tests.NetFuzz;

/// <summary>A campaign's generator without a network: the same lab, canary and parties the campaign makes from a seed.</summary>
internal sealed class FuzzTestLab
{
    public FuzzTestLab(int seed)
    {
        Lab = CertificationLab.Create(seed);
        var canary = new Canary(Lab);
        Parties = new FuzzParties(Lab, canary.ResourceId);
        Generator = new SessionGenerator(Lab, new SutEndpoint(new IPEndPoint(IPAddress.Loopback, 1), SutTransport.Tls, Lab.SutIdentity.NodeId), Parties);
        Seed = seed;
    }

    public CertificationLab Lab { get; }
    public FuzzParties Parties { get; }
    public SessionGenerator Generator { get; }
    public int Seed { get; }

    public FuzzSession Case(long index) => Generator.Generate(new FuzzCaseId(SessionGenerator.Version, Seed, index));

    /// <summary>
    /// The first case whose messages, as decoded, carry the fault's trigger for the <see cref="InjectedFault.Times"/>-th
    /// time counted from case 0 (the SUT may still refuse some of them, and trip later).
    /// </summary>
    public long FirstTripping(InjectedFault fault, long limit)
    {
        int seen = 0;
        for (long i = 0; i < limit; i++)
        {
            seen += Case(i).Messages.Count(m => ReloadCodec.DecodeCopy(m.TemplateBytes()) is { IsSuccess: true } d && fault.Trips(d.Value.Body));
            if (seen >= fault.Times) return i;
        }
        return -1;
    }

    public static string NewDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "p2psip-netfuzz-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
