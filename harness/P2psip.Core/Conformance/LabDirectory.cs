using P2psip.Overlay;
using P2psip.Security;

namespace P2psip.Conformance;

/// <summary>
/// What <c>p2psip certify init --dir LAB</c> writes for a vendor bringing a peer: the overlay CA
/// (ca-key.pem 0600, ca-cert.pem), overlay.xml, the SUT's identity (sut/key.pem 0600,
/// sut/cert.pem), an empty users.json, and HOW-TO-START.txt.
/// </summary>
public static class LabDirectory
{
    public const string SutIdentityFolder = "sut";
    public const string Instructions = "HOW-TO-START.txt";

    /// <summary>Writes a new lab; refuses a directory that already holds one (nothing is overwritten).</summary>
    public static CertificationLab Init(string directory, int seed, string overlayName = CertificationLab.DefaultOverlayName)
    {
        if (File.Exists(Path.Combine(directory, EnrollmentAuthority.KeyFile)) || File.Exists(Path.Combine(directory, OverlayDirectory.ConfigurationFile)))
            throw new IOException($"{directory} already holds a lab (ca-key.pem or overlay.xml); choose an empty directory");
        var lab = CertificationLab.Create(seed, overlayName);
        Directory.CreateDirectory(directory);
        lab.Ca.Save(directory);
        OverlayDocument.Of(lab.Configuration).Save(Path.Combine(directory, OverlayDirectory.ConfigurationFile));
        lab.SutIdentity.Save(Path.Combine(directory, SutIdentityFolder));
        File.WriteAllText(Path.Combine(directory, Instructions), InstructionsText(directory, lab));
        return CertificationLab.Load(directory, seed);
    }

    private static string InstructionsText(string directory, CertificationLab lab) => $$"""
        Certification lab for overlay {{lab.OverlayName}}
        ================================================

        The harness operates this overlay: its CA (ca-cert.pem), its configuration (overlay.xml),
        and every node around your peer. Start your peer (the system under test) with:

          overlay configuration  {{Path.Combine(directory, OverlayDirectory.ConfigurationFile)}}
          root certificate       {{Path.Combine(directory, EnrollmentAuthority.CertificateFile)}}
          identity               {{Path.Combine(directory, SutIdentityFolder, Identity.KeyFile)}} (private key, keep it 0600)
                                 {{Path.Combine(directory, SutIdentityFolder, Identity.CertificateFile)}}
          Node-ID                {{lab.SutIdentity.NodeId.ToHex()}} (in the certificate's reload:// URI, RFC 6940 §11.3)

        as the first peer of the overlay (no bootstrap), listening on an address of this machine,
        TLS-TCP-FH-NO-ICE (or DTLS-UDP-SR-NO-ICE), with mutual certificate authentication against
        the root certificate. Then run

          p2psip certify --lab {{directory}} --sut HOST:PORT --transport tls

        or let the harness start it (and restart it after a crash) with

          p2psip certify --lab {{directory}} --sut-command 'your-peer --config {overlay} --identity {identity} --listen {listen}'

        The reference peer itself is started that way with
          --sut-command 'p2psip peer --overlay {lab} --identity {identity} --listen {listen} --first'

        """;
}
