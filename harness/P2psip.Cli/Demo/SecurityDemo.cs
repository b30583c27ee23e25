using System.Net;
using P2psip.Corpus;
using P2psip.Links;
using P2psip.Messages;
using P2psip.Overlay;
using P2psip.Security;

namespace P2psip.Cli.Demo;

/// <summary>
/// Enrollment and secure links end to end on loopback: an overlay CA behind the HTTPS enrollment
/// server (§11.3) issues two identities with random Node-IDs; they open a mutually authenticated TLS
/// link (TLS-TCP-FH-NO-ICE, §6.6.5) and exchange a signed message (§6.3.4); a message changed in
/// transit by the link's tap fails verification; an identity from another CA is refused.
/// </summary>
internal static class SecurityDemo
{
    private const string OverlayName = "demo.overlay";

    public static DemoStep Run()
    {
        try
        {
            return RunAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or LinkRefusedException or EnrollmentRefusedException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return DemoStep.Fail("security: enrollment, TLS link, signatures", $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static async Task<DemoStep> RunAsync()
    {
        var evidence = new List<string>();
        var ca = EnrollmentAuthority.Create(OverlayName, maxNodesPerUser: 2);
        ca.AddUser("alice@" + OverlayName, "alice-password");
        ca.AddUser("bob@" + OverlayName, "bob-password");
        var document = OverlayDocument.Of(new OverlayConfiguration { InstanceName = OverlayName, RootCertificates = [ca.Root.GetEncoded()] });
        await using var server = new EnrollmentServer(ca, document);
        var url = await server.StartAsync(new IPEndPoint(IPAddress.Loopback, 0));
        var client = new EnrollmentClient([ca.Root]);
        var alice = (await client.EnrollAsync(url, "alice@" + OverlayName, "alice-password", KeyPairs.Generate(KeyAlgorithm.EcdsaP256))).Identity;
        var bob = (await client.EnrollAsync(url, "bob@" + OverlayName, "bob-password", KeyPairs.Generate(KeyAlgorithm.EcdsaP256))).Identity;
        evidence.Add($"enrolled over HTTPS at {url}: alice Node-ID {alice.NodeId}, bob Node-ID {bob.NodeId} (chosen by the server)");

        bool capRefused;
        try
        {
            await client.EnrollAsync(url, "alice@" + OverlayName, "alice-password", KeyPairs.Generate(KeyAlgorithm.EcdsaP256), nodeIds: 2);
            capRefused = false;
        }
        catch (EnrollmentRefusedException e)
        {
            capRefused = e.Token == EnrollmentError.NodeIdsNotAvailable;
            evidence.Add($"alice asking for more Node-IDs than her cap: refused with {e.Token}");
        }

        var validator = CertificateValidator.ForRoot(ca.Root, OverlayName);
        await using var listener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), new LinkSecurity(bob, validator));
        var accepting = listener.AcceptAsync();
        await using var link = await TlsLinks.ConnectAsync(listener.LocalEndpoint, new LinkSecurity(alice, validator), expectedNodeId: bob.NodeId);
        await using var accepted = await accepting.WaitAsync(TimeSpan.FromSeconds(10));
        evidence.Add($"TLS link {link.Protocol} ({link.TlsVersion}) alice -> bob; bob sees Node-ID {accepted.PeerNodeId}");

        var (_, storeBytes) = SeedCorpus.All().First(s => s.Name == "store_req");
        var signed = MessageSigner.Sign(ReloadCodec.Decode(storeBytes).GetValueOrThrow(), alice);
        var store = new CertificateStore();
        await link.SendAsync(ReloadCodec.Encode(signed));
        var received = await accepted.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var check = MessageSigner.Verify(ReloadCodec.DecodeCopy(received!.Value.Span).GetValueOrThrow(), store, validator);
        evidence.Add($"signed store_req received by bob: signature {check}");

        // The tap is where the adversary sits: flip one byte of the message contents in transit.
        link.Tap = (direction, message) =>
        {
            var bytes = message.ToArray();
            bytes[^40] ^= 0x01;
            return bytes;
        };
        await link.SendAsync(ReloadCodec.Encode(signed));
        var tampered = await accepted.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var decodedTampered = ReloadCodec.DecodeCopy(tampered!.Value.Span);
        var tamperedCheck = decodedTampered.IsSuccess ? MessageSigner.Verify(decodedTampered.Value, store, validator) : null;
        evidence.Add($"same message with one byte flipped by the link tap: {(tamperedCheck is null ? "undecodable: " + decodedTampered.Error : "signature " + tamperedCheck)}");

        var stranger = EnrollmentAuthority.Create(OverlayName);
        bool foreignRefused = await ForeignIdentityIsRefused(listener, stranger, evidence);

        bool ok = capRefused && check.Valid && tamperedCheck is not { Valid: true } && foreignRefused;
        return new DemoStep("security: enrollment over HTTPS, TLS link, message signatures", ok, evidence);
    }

    private static async Task<bool> ForeignIdentityIsRefused(TlsLinkListener listener, EnrollmentAuthority otherCa, List<string> evidence)
    {
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var certificate = otherCa.Issue(keys.Public, "mallory@" + OverlayName, [new byte[16]], DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddDays(1));
        var mallory = new Identity(keys, certificate);
        var accepting = listener.AcceptAsync();
        try
        {
            await using var link = await TlsLinks.ConnectAsync(listener.LocalEndpoint, new LinkSecurity(mallory, CertificateValidator.ForRoot(otherCa.Root)));
            var accepted = await accepting.WaitAsync(TimeSpan.FromSeconds(5));
            await accepted.DisposeAsync();
            evidence.Add("an identity from another CA was ACCEPTED (should be refused)");
            return false;
        }
        catch (Exception e) when (e is LinkRefusedException or IOException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
            evidence.Add($"an identity issued by another CA is refused: {e.Message}");
            return true;
        }
    }
}
