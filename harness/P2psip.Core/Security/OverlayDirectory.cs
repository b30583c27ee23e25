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
        var ca = EnrollmentAuthority.Create(overlayName, maxNodesPerUser: maxNodesPerUser, algorithm: algorithm);
        ca.Save(directory);
        var document = OverlayDocument.Of(new OverlayConfiguration
        {
            InstanceName = overlayName,
            Sequence = 1,
            RootCertificates = [ca.Root.GetEncoded()],
            OverlayLinkProtocols = ["TLS"],
            RequiredKinds = OverlayConfiguration.DefaultKinds,
        });
        document.Save(Path.Combine(directory, ConfigurationFile));
        return (ca, document);
    }

    public static (EnrollmentAuthority Ca, OverlayDocument Document) Load(string directory) =>
        (EnrollmentAuthority.Load(directory), OverlayDocument.Load(Path.Combine(directory, ConfigurationFile)));
}
