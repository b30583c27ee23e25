using System.Globalization;
using System.Net;
using System.Xml;
using System.Xml.Linq;
using P2psip.Wire;

namespace P2psip.Overlay;

/// <summary>
/// Reads a configuration document against the grammar of §11.1.1. Elements of other namespaces are
/// foreign and skipped (foreign-elements); an unknown element in the RELOAD or Chord namespace, a
/// repeated single-valued element, a missing required one or a value of the wrong type raises an
/// <see cref="OverlayConfigurationError"/> naming the element and its line.
/// </summary>
internal static class OverlayXmlReader
{
    private static readonly XNamespace B = OverlayXml.Base, C = OverlayXml.Chord;

    public static OverlayDocument Read(string xml)
    {
        var doc = ParseWellFormed(xml);
        var root = doc.Root!;
        if (root.Name != B + "overlay")
            throw Error(root, $"the document element must be overlay in namespace {B}");

        var configurations = new List<SignedConfiguration>();
        foreach (var child in root.Elements())
        {
            if (child.Name == B + "configuration")
                configurations.Add(new SignedConfiguration(ReadConfiguration(child)));
            else if (child.Name == B + "signature")
            {
                if (configurations.Count == 0) throw Error(child, "a signature must follow the configuration it signs");
                var last = configurations[^1];
                if (last.Signature is not null) throw Error(child, "a configuration has more than one signature");
                configurations[^1] = last with { Signature = Base64Text(child), SignatureAlgorithm = (string?)child.Attribute("algorithm") };
            }
            else if (IsOurs(child.Name)) throw Error(child, "element not allowed in overlay");
        }
        if (configurations.Count == 0) throw Error(root, "an overlay must contain at least one configuration element");
        return new OverlayDocument(configurations.ToArray());
    }

    /// <summary>
    /// The file MUST be well-formed XML (§11.1). On a syntax error, names the innermost element open
    /// at that point, which XDocument alone does not tell.
    /// </summary>
    private static XDocument ParseWellFormed(string xml)
    {
        var open = new Stack<string>();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && !reader.IsEmptyElement) open.Push(reader.Name);
                else if (reader.NodeType == XmlNodeType.EndElement) open.TryPop(out _);
            }
            return XDocument.Parse(xml, LoadOptions.SetLineInfo | LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            var element = open.TryPeek(out var name) ? name : "overlay";
            throw new OverlayConfigurationError(element, e.LineNumber, $"not well-formed XML: {FirstSentence(e.Message)}");
        }
    }

    private static OverlayConfiguration ReadConfiguration(XElement e)
    {
        var name = (string?)e.Attribute("instance-name");
        if (string.IsNullOrWhiteSpace(name)) throw Error(e, "the instance-name attribute is required");
        var c = new OverlayConfiguration { InstanceName = name.Trim() };

        if (e.Attribute("expiration") is { } exp)
        {
            if (!DateTimeOffset.TryParse(exp.Value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
                throw Error(e, $"expiration \"{exp.Value}\" is not an RFC 3339 date-time");
            c = c with { Expiration = when.ToUniversalTime() };
        }
        if (e.Attribute("sequence") is { } seq)
        {
            if (!long.TryParse(seq.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s > 0xFFFE)
                throw Error(e, $"sequence \"{seq.Value}\" must be an integer from 0 to 65534");
            c = c with { Sequence = s };
        }

        var seen = new HashSet<XName>();
        var roots = new List<Opaque>();
        var enrollment = new List<string>();
        var bootstrap = new List<BootstrapNode>();
        var linkProtocols = new List<string>();
        var configurationSigners = new List<string>();
        var kindSigners = new List<string>();
        var badNodes = new List<string>();
        var mandatory = new List<string>();

        foreach (var p in e.Elements())
        {
            if (!IsOurs(p.Name)) continue; // foreign-elements
            string local = p.Name.LocalName;
            if (p.Name.Namespace == C)
            {
                Once(p, seen);
                c = local switch
                {
                    "chord-ping-interval" => c with { ChordPingInterval = Int(p) },
                    "chord-update-interval" => c with { ChordUpdateInterval = Int(p) },
                    "chord-reactive" => c with { ChordReactive = Bool(p) },
                    _ => throw Error(p, "unknown element in the chord namespace"),
                };
                continue;
            }
            if (p.Name.Namespace != B) throw Error(p, "element in no namespace is not allowed (local:* is not foreign)");
            switch (local)
            {
                case "topology-plugin": Once(p, seen); c = c with { TopologyPlugin = Text(p) }; break;
                case "node-id-length":
                    Once(p, seen);
                    int len = Int(p);
                    if (len is < 16 or > 20) throw Error(p, $"node-id-length must be between 16 and 20, got {len}");
                    c = c with { NodeIdLength = len };
                    break;
                case "root-cert": roots.Add(Base64(p)); break;
                case "enrollment-server":
                    var url = Text(p);
                    if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                        throw Error(p, $"enrollment-server \"{url}\" must be an https: URL");
                    enrollment.Add(url);
                    break;
                case "self-signed-permitted":
                    Once(p, seen);
                    c = c with { SelfSignedPermitted = Bool(p), SelfSignedDigest = ((string?)p.Attribute("digest"))?.Trim() ?? throw Error(p, "the digest attribute is required") };
                    break;
                case "bootstrap-node": bootstrap.Add(ReadBootstrap(p)); break;
                case "turn-density":
                    Once(p, seen);
                    int density = Int(p);
                    if (density is < 0 or > 255) throw Error(p, $"turn-density must be an unsigned byte, got {density}");
                    c = c with { TurnDensity = density };
                    break;
                case "clients-permitted": Once(p, seen); c = c with { ClientsPermitted = Bool(p) }; break;
                case "no-ice": Once(p, seen); c = c with { NoIce = Bool(p) }; break;
                case "shared-secret": Once(p, seen); c = c with { SharedSecret = p.Value }; break;
                case "max-message-size":
                    Once(p, seen);
                    if (!uint.TryParse(Text(p), NumberStyles.None, CultureInfo.InvariantCulture, out var max))
                        throw Error(p, $"\"{Text(p)}\" is not an unsigned 32-bit integer");
                    c = c with { MaxMessageSize = max };
                    break;
                case "initial-ttl": Once(p, seen); c = c with { InitialTtl = Int(p) }; break;
                case "overlay-reliability-timer":
                    Once(p, seen);
                    int timer = Int(p);
                    if (timer < 200) throw Error(p, $"overlay-reliability-timer must be at least 200 ms, got {timer}");
                    c = c with { OverlayReliabilityTimer = timer };
                    break;
                case "overlay-link-protocol": linkProtocols.Add(Text(p)); break;
                case "configuration-signer": configurationSigners.Add(Text(p)); break;
                case "kind-signer": kindSigners.Add(Text(p)); break;
                case "bad-node": badNodes.Add(Text(p)); break;
                case "mandatory-extension": mandatory.Add(Text(p)); break;
                case "required-kinds":
                    Once(p, seen);
                    c = c with { RequiredKinds = ReadKinds(p) };
                    break;
                default: throw Error(p, "unknown element in configuration");
            }
        }
        return c with
        {
            RootCertificates = roots.ToArray(),
            EnrollmentServers = enrollment.ToArray(),
            BootstrapNodes = bootstrap.ToArray(),
            OverlayLinkProtocols = linkProtocols.ToArray(),
            ConfigurationSigners = configurationSigners.ToArray(),
            KindSigners = kindSigners.ToArray(),
            BadNodes = badNodes.ToArray(),
            MandatoryExtensions = mandatory.ToArray(),
        };
    }

    private static BootstrapNode ReadBootstrap(XElement p)
    {
        var address = ((string?)p.Attribute("address"))?.Trim() ?? throw Error(p, "the address attribute is required");
        if (!IPAddress.TryParse(address, out _)) throw Error(p, $"address \"{address}\" is not an IPv4 or IPv6 address");
        int port = BootstrapNode.DefaultPort;
        if (p.Attribute("port") is { } portAttr
            && (!int.TryParse(portAttr.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
            throw Error(p, $"port \"{portAttr.Value}\" is not a port number");
        return new BootstrapNode(address, port);
    }

    private static ValueList<KindDefinition> ReadKinds(XElement required)
    {
        var kinds = new List<KindDefinition>();
        foreach (var block in required.Elements())
        {
            if (!IsOurs(block.Name)) throw Error(block, "required-kinds may contain only kind-block elements");
            if (block.Name != B + "kind-block") throw Error(block, "required-kinds may contain only kind-block elements");
            XElement? kind = null;
            string? signature = null;
            foreach (var k in block.Elements())
            {
                if (k.Name == B + "kind") { if (kind is not null) throw Error(k, "a kind-block holds exactly one kind"); kind = k; }
                else if (k.Name == B + "kind-signature") { if (signature is not null) throw Error(k, "more than one kind-signature"); signature = Base64Text(k); }
                else throw Error(k, "a kind-block may contain only kind and kind-signature");
            }
            if (kind is null) throw Error(block, "a kind-block must contain a kind element");
            kinds.Add(ReadKind(kind) with { KindSignature = signature });
        }
        return kinds.ToArray();
    }

    private static KindDefinition ReadKind(XElement k)
    {
        var name = ((string?)k.Attribute("name"))?.Trim();
        uint? id = null;
        if (k.Attribute("id") is { } idAttr)
        {
            if (!uint.TryParse(idAttr.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                throw Error(k, $"id \"{idAttr.Value}\" is not an unsigned 32-bit Kind-ID");
            id = v;
        }
        if ((name is null) == (id is null)) throw Error(k, "a kind has either a name or an id attribute, not both or neither");

        string? dataModel = null, access = null;
        int? maxCount = null, maxSize = null, maxNodeMultiple = null;
        var seen = new HashSet<XName>();
        foreach (var p in k.Elements())
        {
            if (!IsOurs(p.Name)) continue; // foreign-elements in kind-parameter
            Once(p, seen);
            switch (p.Name == B + p.Name.LocalName ? p.Name.LocalName : "")
            {
                case "data-model": dataModel = Text(p); break;
                case "access-control": access = Text(p); break;
                case "max-count": maxCount = Int(p); break;
                case "max-size": maxSize = Int(p); break;
                case "max-node-multiple":
                    maxNodeMultiple = Int(p);
                    if (maxNodeMultiple <= 0) throw Error(p, "max-node-multiple must be greater than 0");
                    break;
                default: throw Error(p, "unknown element in kind");
            }
        }
        // All of the non-optional values MUST be provided (§11.1).
        if (dataModel is null) throw Error(k, "the data-model element is required");
        if (access is null) throw Error(k, "the access-control element is required");
        if (maxCount is null) throw Error(k, "the max-count element is required");
        if (maxSize is null) throw Error(k, "the max-size element is required");
        if (access == "NODE-MULTIPLE" && maxNodeMultiple is null)
            throw Error(k, "access-control NODE-MULTIPLE requires max-node-multiple");
        return new KindDefinition
        {
            Name = name, Id = id, DataModel = dataModel, AccessControl = access,
            MaxCount = maxCount.Value, MaxSize = maxSize.Value, MaxNodeMultiple = maxNodeMultiple,
        };
    }

    private static bool IsOurs(XName name) =>
        name.Namespace == B || name.Namespace == C || name.Namespace == XNamespace.None;

    private static void Once(XElement p, HashSet<XName> seen)
    {
        if (!seen.Add(p.Name)) throw Error(p, "may appear at most once");
    }

    private static string Text(XElement p)
    {
        if (p.HasElements) throw Error(p, "must contain text only");
        return p.Value.Trim();
    }

    private static int Int(XElement p) =>
        int.TryParse(Text(p), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v : throw Error(p, $"\"{Text(p)}\" is not an integer");

    // xsd:boolean: "true"/"1" or "false"/"0" (§11.1).
    private static bool Bool(XElement p) => Text(p) switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        var other => throw Error(p, $"\"{other}\" is not a boolean (true, false, 1 or 0)"),
    };

    private static Opaque Base64(XElement p)
    {
        try { return Convert.FromBase64String(Text(p)); }
        catch (FormatException) { throw Error(p, "is not valid base64"); }
    }

    private static string Base64Text(XElement p)
    {
        Base64(p);
        return string.Concat(Text(p).Where(ch => !char.IsWhiteSpace(ch)));
    }

    private static OverlayConfigurationError Error(XElement e, string reason)
    {
        var prefix = e.GetPrefixOfNamespace(e.Name.Namespace);
        var name = e.Name.Namespace == OverlayXml.Chord && prefix is not null ? $"{prefix}:{e.Name.LocalName}" : e.Name.LocalName;
        return new OverlayConfigurationError(name, ((IXmlLineInfo)e).LineNumber, reason);
    }

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(". ", StringComparison.Ordinal);
        return i < 0 ? message.TrimEnd('.') : message[..i];
    }
}
