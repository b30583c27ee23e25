using P2psip.Conformance;
using P2psip.Conformance.Running;
using P2psip.Conformance.Probe;
using P2psip.Tests.Conformance.Doubles;

namespace P2psip.Tests.Conformance;

/// <summary>
/// The liveness probe after each case (issue 13) counts only a PingAns to its own Ping: a PingAns
/// with another transaction id answers nothing the probe sent (§6.3.2), so that peer is not alive.
/// </summary>
[Trait("Category", "Live")]
public class LivenessProbeTests
{
    private static readonly CaseTimeouts Quick = new() { Connect = TimeSpan.FromSeconds(2), Answer = TimeSpan.FromSeconds(1), Case = TimeSpan.FromSeconds(20) };

    [Theory]
    // The control: an unsigned PingAns that echoes the transaction id is an answer (the probe does not check signatures).
    [InlineData(Misbehaviour.SignsNothing, Liveness.Alive)]
    [InlineData(Misbehaviour.WrongTransactionId, Liveness.WrongAnswer)]
    public async Task Only_a_PingAns_with_the_Pings_transaction_id_counts_as_alive(Misbehaviour misbehaviour, Liveness expected)
    {
        var lab = CertificationLab.Create(41);
        await using var fake = new FakeReloadPeer(misbehaviour, lab.SutIdentity);
        var endpoint = new SutEndpoint(fake.Endpoint, fake.Transport, lab.SutIdentity.NodeId);
        var result = await LivenessProbe.CheckAsync(lab, endpoint, canary: null, Quick, new EvidenceLog(), CancellationToken.None, attempts: 1);
        Assert.True(result.State == expected, $"{misbehaviour}: {result}");
        Assert.True(fake.Pings > 0, "the fake was never pinged");
    }
}
