using P2psip.Overlay;

namespace P2psip.Security;

/// <summary>
/// An overlay's working directory as <c>p2psip overlay init</c> makes it: the CA
/// (<see cref="EnrollmentAuthority"/> files), the configuration document <c>overlay.xml</c>, and the user list.
/// </summary>
public static class OverlayDirectory
{
    public const string ConfigurationFile = "overlay.xml";

    public static (EnrollmentAuthority Ca, OverlayDocument Document) Init(string directory, string overlayName,
        int maxNodesPerUser = EnrollmentAuthority.DefaultMaxNodesPerUser, KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256)
    {
        if (File.Exists(Path.Combine(directory, EnrollmentAuthority.KeyFile)))
            throw new IOException($"{directory} already holds an overlay CA");
        var (ca, document) = Create(overlayName, maxNodesPerUser, algorithm);
        ca.Save(directory);
        document.Save(Path.Combine(directory, ConfigurationFile));
        return (ca, document);
    }

    /// <summary>A new CA and its configuration document, not yet written anywhere (see <see cref="Files"/>).</summary>
    public static (EnrollmentAuthority Ca, OverlayDocument Document) Create(string overlayName,
        int maxNodesPerUser = EnrollmentAuthority.DefaultMaxNodesPerUser, KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256)
    {
        var ca = EnrollmentAuthority.Create(overlayName, maxNodesPerUser: maxNodesPerUser, algorithm: algorithm);
        var document = OverlayDocument.Of(new OverlayConfiguration
        {
            InstanceName = overlayName,
            Sequence = 1,
            RootCertificates = [ca.Root.GetEncoded()],
            OverlayLinkProtocols = ["TLS"],
            RequiredKinds = OverlayConfiguration.DefaultKinds,
        });
        return (ca, document);
    }

    /// <summary>Every file of an overlay directory, as text, for a caller that writes them as one set.</summary>
    public static IReadOnlyList<(string File, string Text, bool OwnerOnly)> Files(EnrollmentAuthority ca, OverlayDocument document) =>
        [.. ca.Files(), (ConfigurationFile, document.ToXml(), false)];

    public static (EnrollmentAuthority Ca, OverlayDocument Document) Load(string directory) =>
        (EnrollmentAuthority.Load(directory), OverlayDocument.Load(Path.Combine(directory, ConfigurationFile)));
}
