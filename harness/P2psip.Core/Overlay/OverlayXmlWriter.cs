using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace P2psip.Overlay;

/// <summary>Writes a configuration document (§11.1) in UTF-8 with an encoding declaration, elements in the RFC example's order.</summary>
internal static class OverlayXmlWriter
{
    private static readonly XNamespace B = OverlayXml.Base, C = OverlayXml.Chord;

    public static string Write(OverlayDocument document)
    {
        var root = new XElement(B + "overlay",
            new XAttribute("xmlns", B.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "chord", C.NamespaceName));
        foreach (var signed in document.Configurations)
        {
            root.Add(Configuration(signed.Configuration));
            if (signed.Signature is not null)
                root.Add(new XElement(B + "signature",
                    signed.SignatureAlgorithm is null ? null : new XAttribute("algorithm", signed.SignatureAlgorithm),
                    signed.Signature));
        }
        // UTF-8 with an encoding declaration (§11.1); the declaration is written by hand because
        // XmlWriter spells the encoding in lower case.
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, Indent = true, IndentChars = "  " };
        var text = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        using (var writer = XmlWriter.Create(text, settings))
            root.Save(writer);
        return text.Append('\n').ToString();
    }

    private static XElement Configuration(OverlayConfiguration c)
    {
        var e = new XElement(B + "configuration", new XAttribute("instance-name", c.InstanceName));
        if (c.Sequence is { } seq) e.Add(new XAttribute("sequence", seq));
        if (c.Expiration is { } exp) e.Add(new XAttribute("expiration", exp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)));
        e.Add(new XElement(B + "topology-plugin", c.TopologyPlugin));
        e.Add(new XElement(B + "node-id-length", c.NodeIdLength));
        foreach (var cert in c.RootCertificates)
            e.Add(new XElement(B + "root-cert", Convert.ToBase64String(cert.Span, Base64FormattingOptions.InsertLineBreaks)));
        foreach (var url in c.EnrollmentServers) e.Add(new XElement(B + "enrollment-server", url));
        if (c.SelfSignedPermitted is { } ssp)
            e.Add(new XElement(B + "self-signed-permitted", new XAttribute("digest", c.SelfSignedDigest), Bool(ssp)));
        foreach (var node in c.BootstrapNodes)
            e.Add(new XElement(B + "bootstrap-node", new XAttribute("address", node.Address), new XAttribute("port", node.Port)));
        if (c.TurnDensity is { } td) e.Add(new XElement(B + "turn-density", td));
        if (c.ClientsPermitted is { } cp) e.Add(new XElement(B + "clients-permitted", Bool(cp)));
        if (c.NoIce is { } ni) e.Add(new XElement(B + "no-ice", Bool(ni)));
        if (c.ChordUpdateInterval is { } cui) e.Add(new XElement(C + "chord-update-interval", cui));
        if (c.ChordPingInterval is { } cpi) e.Add(new XElement(C + "chord-ping-interval", cpi));
        if (c.ChordReactive is { } cr) e.Add(new XElement(C + "chord-reactive", Bool(cr)));
        if (c.SharedSecret is { } ss) e.Add(new XElement(B + "shared-secret", ss));
        e.Add(new XElement(B + "max-message-size", c.MaxMessageSize));
        e.Add(new XElement(B + "initial-ttl", c.InitialTtl));
        e.Add(new XElement(B + "overlay-reliability-timer", c.OverlayReliabilityTimer));
        foreach (var p in c.OverlayLinkProtocols) e.Add(new XElement(B + "overlay-link-protocol", p));
        foreach (var s in c.ConfigurationSigners) e.Add(new XElement(B + "configuration-signer", s));
        foreach (var s in c.KindSigners) e.Add(new XElement(B + "kind-signer", s));
        foreach (var s in c.BadNodes) e.Add(new XElement(B + "bad-node", s));
        foreach (var s in c.MandatoryExtensions) e.Add(new XElement(B + "mandatory-extension", s));
        if (c.RequiredKinds is { } kinds)
        {
            var required = new XElement(B + "required-kinds");
            foreach (var k in kinds) required.Add(KindBlock(k));
            e.Add(required);
        }
        return e;
    }

    private static XElement KindBlock(KindDefinition k)
    {
        var kind = new XElement(B + "kind",
            k.Name is not null ? new XAttribute("name", k.Name) : new XAttribute("id", k.Id!.Value),
            new XElement(B + "data-model", k.DataModel),
            new XElement(B + "access-control", k.AccessControl),
            k.MaxNodeMultiple is { } m ? new XElement(B + "max-node-multiple", m) : null,
            new XElement(B + "max-count", k.MaxCount),
            new XElement(B + "max-size", k.MaxSize));
        return new XElement(B + "kind-block", kind,
            k.KindSignature is null ? null : new XElement(B + "kind-signature", k.KindSignature));
    }

    private static string Bool(bool b) => b ? "true" : "false";
}
