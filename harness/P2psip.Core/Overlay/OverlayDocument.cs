using P2psip.Wire;

namespace P2psip.Overlay;

/// <summary>
/// A whole configuration document, content type application/p2p-overlay+xml (§11.1): one or more
/// configuration elements, each optionally followed by a signature over it (kept as base64 text).
/// </summary>
public sealed record OverlayDocument(ValueList<SignedConfiguration> Configurations)
{
    public const string MediaType = "application/p2p-overlay+xml";

    public static OverlayDocument Of(OverlayConfiguration configuration) => new([new SignedConfiguration(configuration)]);

    /// <summary>The configuration for <paramref name="instanceName"/>, or null.</summary>
    public OverlayConfiguration? Find(string instanceName) =>
        Configurations.FirstOrDefault(c => c.Configuration.InstanceName == instanceName)?.Configuration;

    public static OverlayDocument Parse(string xml) => OverlayXmlReader.Read(xml);

    public static OverlayDocument Load(string path) => OverlayXmlReader.Read(File.ReadAllText(path));

    public string ToXml() => OverlayXmlWriter.Write(this);

    public void Save(string path) => File.WriteAllText(path, ToXml());
}

/// <summary>A configuration element and the base64 signature element after it, if any.</summary>
public sealed record SignedConfiguration(OverlayConfiguration Configuration, string? Signature = null, string? SignatureAlgorithm = null);
