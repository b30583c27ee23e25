using P2psip.Adversary;
using P2psip.Adversary.Personas;
using P2psip.Messages.Storage;
using P2psip.Peer.Live;
using P2psip.Peer.Storage;
using P2psip.Security;
using Xunit.Abstractions;

namespace P2psip.Tests.LivePeer;

/// <summary>
/// Issue 8: a persona live on loopback — a reference peer whose link layer runs the scenario on
/// its messages (<see cref="LivePersona"/>, what <c>p2psip peer --persona</c> starts), on real TLS
/// links. A 3-peer ring in which the peer responsible for an AOR is the lying responder: the
/// registration is stored there (the persona passes Stores), but no lookup gets it back (UN-1c:
/// a forged value or "not found"). The same ring with an honest peer at that Node-ID answers.
/// </summary>
[Trait("Category", TestCategory.Live)]
public class LivePersonaTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheLyingResponderResponsibleForAnAorHidesItOnATlsRing(bool lying)
    {
        var overlay = new LiveOverlay(2);
        var registrant = overlay.Identities[1];
        var aor = "sip:" + registrant.UserName;
        var resource = SipUsage.ResourceIdOf(aor);
        // Its Node-ID is the AOR's Resource-ID, so it is the peer responsible for it (§10.3: a peer
        // is responsible for the ids after its predecessor up to its own).
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var responsible = new Identity(keys, overlay.Ca.Issue(keys.Public, "liar@" + LiveOverlay.Name, [resource.ToArray()], DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30)));
        var persona = lying ? new LivePersona(PersonaCatalogue.Load("lying-responder"), responsible, log: new DecisionLog()) : null;
        var peers = new List<P2psip.Peer.Live.LivePeer>();
        try
        {
            foreach (var identity in new[] { overlay.Identities[0], registrant, responsible })
            {
                var options = new LivePeerOptions
                {
                    Configuration = overlay.Configuration,
                    Identity = identity,
                    Bootstrap = peers.Count == 0 ? null : peers[0].Address,
                    ReliabilityTimerMillis = 500,
                };
                var peer = P2psip.Peer.Live.LivePeer.Create(identity == responsible && persona is not null ? persona.ApplyTo(options) : options);
                peers.Add(peer);
                await peer.StartAsync(TimeSpan.FromSeconds(30));
            }
            Assert.True(await LiveOverlay.ConvergedAsync(peers, TimeSpan.FromSeconds(20)), "the ring converged");
            if (persona is not null) Assert.NotNull(persona.Layer);

            var stored = await peers[1].RegisterAsync(aor, "sip:user1@127.0.0.1:5060").WaitAsync(TimeSpan.FromSeconds(20));
            Assert.IsType<StoreAns>(stored.Body);
            Assert.Equal(responsible.NodeId, stored.Responder);
            int found = 0;
            for (int i = 0; i < 4; i++)
            {
                var (contacts, outcome) = await peers[0].LookupAsync(aor).WaitAsync(TimeSpan.FromSeconds(20));
                output.WriteLine($"lookup {i}: {outcome}; contacts: {string.Join(", ", contacts.Select(c => c.Uri))}");
                if (contacts.Any(c => c.Uri == "sip:user1@127.0.0.1:5060")) found++;
            }
            if (persona is null)
            {
                Assert.Equal(4, found);
                return;
            }
            Assert.Equal(0, found);
            var fired = persona.Engine.Log.Records.Where(r => r.RuleName is not null).Select(r => r.RuleName).ToList();
            output.WriteLine($"rules fired: {string.Join(", ", fired)}");
            Assert.Contains("forged-value", fired);
            Assert.Contains("not-found", fired);
        }
        finally
        {
            foreach (var p in peers) p.Crash();
        }
    }
}
