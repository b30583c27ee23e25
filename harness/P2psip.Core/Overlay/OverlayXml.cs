using System.Xml.Linq;

namespace P2psip.Overlay;

/// <summary>The XML namespaces of the configuration document (§11.1.1).</summary>
internal static class OverlayXml
{
    public static readonly XNamespace Base = "urn:ietf:params:xml:ns:p2p:config-base";
    public static readonly XNamespace Chord = "urn:ietf:params:xml:ns:p2p:config-chord";
}
