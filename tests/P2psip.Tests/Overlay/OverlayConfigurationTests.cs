using P2psip.Overlay;

namespace P2psip.Tests.Overlay;

public class OverlayConfigurationTests
{
    [Fact]
    public void Reads_the_RFC_example()
    {
        var doc = OverlayDocument.Parse(RfcExample.Xml);
        Assert.Equal(2, doc.Configurations.Count);
        var first = doc.Configurations[0];
        var c = first.Configuration;
        Assert.Equal("overlay.example.org", c.InstanceName);
        Assert.Equal(22, c.Sequence);
        Assert.Equal(new DateTimeOffset(2002, 10, 10, 7, 0, 0, TimeSpan.Zero), c.Expiration);
        Assert.Equal("CHORD-RELOAD", c.TopologyPlugin);
        Assert.Equal(16, c.NodeIdLength);
        Assert.Equal(2, c.RootCertificates.Count);
        Assert.Equal("bad cert\n", System.Text.Encoding.ASCII.GetString(c.RootCertificates[1].Span));
        Assert.Equal(["https://example.org", "https://example.net"], c.EnrollmentServers);
        Assert.False(c.SelfSignedPermitted);
        Assert.Equal("sha1", c.SelfSignedDigest);
        Assert.Equal([new BootstrapNode("192.0.0.1", 6084), new BootstrapNode("192.0.2.2", 6084), new BootstrapNode("2001:DB8::1", 6084)], c.BootstrapNodes);
        Assert.Equal(20, c.TurnDensity);
        Assert.False(c.ClientsPermitted);
        Assert.False(c.NoIce);
        Assert.Equal(400, c.ChordUpdateInterval);
        Assert.Equal(30, c.ChordPingInterval);
        Assert.True(c.ChordReactive);
        Assert.Equal(4000u, c.MaxMessageSize);
        Assert.Equal(30, c.InitialTtl);
        Assert.Equal(3000, c.OverlayReliabilityTimer);
        Assert.Equal(["TLS"], c.OverlayLinkProtocols);
        Assert.Equal(["47112162e84c69ba"], c.ConfigurationSigners);
        Assert.Equal(["47112162e84c69ba", "6eba45d31a900c06"], c.KindSigners);
        Assert.Equal(["6ebc45d31a900c06", "6ebc45d31a900ca6"], c.BadNodes);
        Assert.Equal(["urn:ietf:params:xml:ns:p2p:config-ext1"], c.MandatoryExtensions);
        Assert.NotNull(c.RequiredKinds);
        var sip = c.RequiredKinds[0];
        Assert.Equal("SIP-REGISTRATION", sip.Name);
        Assert.Equal(("SINGLE", "USER-MATCH", 1, 100), (sip.DataModel, sip.AccessControl, sip.MaxCount, sip.MaxSize));
        Assert.Equal("VGhpcyBpcyBub3QgcmlnaHQhCg==", sip.KindSignature);
        var k2000 = c.RequiredKinds[1];
        Assert.Equal(2000u, k2000.Id);
        Assert.Equal(3, k2000.MaxNodeMultiple);
        Assert.Equal("VGhpcyBpcyBub3QgcmlnaHQhCg==", first.Signature);
        Assert.Equal("other.example.net", doc.Configurations[1].Configuration.InstanceName);
        Assert.Equal(5000u, doc.Configurations[1].Configuration.MaxMessageSize); // the default
        Assert.Equal(100, doc.Configurations[1].Configuration.InitialTtl);
        Assert.Equal(["TLS"], doc.Configurations[1].Configuration.EffectiveLinkProtocols);
    }

    [Fact]
    public void The_RFC_example_round_trips()
    {
        var doc = OverlayDocument.Parse(RfcExample.Xml);
        var again = OverlayDocument.Parse(doc.ToXml());
        Assert.Equal(doc, again);
        Assert.Equal(doc.ToXml(), again.ToXml());
    }

    [Fact]
    public void A_new_overlay_round_trips_with_its_default_kinds()
    {
        var c = new OverlayConfiguration
        {
            InstanceName = "test.overlay",
            Sequence = 1,
            Expiration = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero),
            RootCertificates = [new byte[] { 0x30, 0x82, 0x01, 0x02 }],
            EnrollmentServers = ["https://127.0.0.1:8443/enroll"],
            BootstrapNodes = [new BootstrapNode("127.0.0.1", 7000)],
            OverlayLinkProtocols = ["TLS", "DTLS"],
            MaxMessageSize = 8192,
            InitialTtl = 50,
            RequiredKinds = OverlayConfiguration.DefaultKinds,
            SharedSecret = " keep spaces ",
        };
        var xml = OverlayDocument.Of(c).ToXml();
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", xml);
        Assert.Equal(c, OverlayDocument.Parse(xml).Configurations[0].Configuration);
    }

    private const string Head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<overlay xmlns=\"urn:ietf:params:xml:ns:p2p:config-base\" xmlns:chord=\"urn:ietf:params:xml:ns:p2p:config-chord\">\n";

    [Theory]
    [InlineData("NotWellFormed", "<configuration instance-name=\"x\">\n<node-id-length>16</node-id-length>\n</overlay>", "configuration", 5)]
    [InlineData("WrongRoot", null, "config", 2)]
    [InlineData("NoConfiguration", "</overlay>", "overlay", 2)]
    [InlineData("NoInstanceName", "<configuration>\n</configuration></overlay>", "configuration", 3)]
    [InlineData("NodeIdTooShort", "<configuration instance-name=\"x\">\n<node-id-length>15</node-id-length>\n</configuration></overlay>", "node-id-length", 4)]
    [InlineData("NodeIdNotANumber", "<configuration instance-name=\"x\">\n\n<node-id-length>sixteen</node-id-length></configuration></overlay>", "node-id-length", 5)]
    [InlineData("TwoTopologies", "<configuration instance-name=\"x\">\n<topology-plugin>CHORD-RELOAD</topology-plugin>\n<topology-plugin>X</topology-plugin></configuration></overlay>", "topology-plugin", 5)]
    [InlineData("UnknownElement", "<configuration instance-name=\"x\">\n<max-mesage-size>1</max-mesage-size></configuration></overlay>", "max-mesage-size", 4)]
    [InlineData("UnknownChordElement", "<configuration instance-name=\"x\">\n<chord:chord-speed>1</chord:chord-speed></configuration></overlay>", "chord:chord-speed", 4)]
    [InlineData("BadBoolean", "<configuration instance-name=\"x\">\n<no-ice>yes</no-ice></configuration></overlay>", "no-ice", 4)]
    [InlineData("BadBase64", "<configuration instance-name=\"x\">\n<root-cert>*not base64*</root-cert></configuration></overlay>", "root-cert", 4)]
    [InlineData("HttpEnrollment", "<configuration instance-name=\"x\">\n<enrollment-server>http://example.org</enrollment-server></configuration></overlay>", "enrollment-server", 4)]
    [InlineData("BadBootstrapAddress", "<configuration instance-name=\"x\">\n<bootstrap-node address=\"example.org\"/></configuration></overlay>", "bootstrap-node", 4)]
    [InlineData("SequenceTooLarge", "<configuration instance-name=\"x\" sequence=\"65535\"></configuration></overlay>", "configuration", 3)]
    [InlineData("TimerTooShort", "<configuration instance-name=\"x\">\n<overlay-reliability-timer>199</overlay-reliability-timer></configuration></overlay>", "overlay-reliability-timer", 4)]
    [InlineData("KindWithoutMaxSize", "<configuration instance-name=\"x\"><required-kinds><kind-block>\n<kind name=\"K\"><data-model>ARRAY</data-model><access-control>NODE-MATCH</access-control><max-count>1</max-count></kind></kind-block></required-kinds></configuration></overlay>", "kind", 4)]
    [InlineData("KindNameAndId", "<configuration instance-name=\"x\"><required-kinds><kind-block>\n\n<kind name=\"K\" id=\"5\"/></kind-block></required-kinds></configuration></overlay>", "kind", 5)]
    [InlineData("NodeMultipleWithoutMax", "<configuration instance-name=\"x\"><required-kinds><kind-block>\n<kind id=\"7\"><data-model>ARRAY</data-model><access-control>NODE-MULTIPLE</access-control><max-count>1</max-count><max-size>1</max-size></kind></kind-block></required-kinds></configuration></overlay>", "kind", 4)]
    [InlineData("SignatureFirst", "<signature>AAAA</signature>\n<configuration instance-name=\"x\"/></overlay>", "signature", 3)]
    public void Rejects_bad_documents_naming_element_and_line(string label, string? body, string element, int line)
    {
        var xml = body is null ? "<?xml version=\"1.0\"?>\n<config xmlns=\"urn:ietf:params:xml:ns:p2p:config-base\"/>" : Head + body;
        var e = Assert.Throws<OverlayConfigurationError>(() => OverlayDocument.Parse(xml));
        Assert.True(element == e.Element && line == e.Line, $"{label}: {e.Message}");
        Assert.Contains($"<{element}> at line {line}", e.Message);
    }

    [Fact]
    public void Foreign_elements_and_attributes_are_skipped()
    {
        var xml = Head + "<configuration instance-name=\"x\" xmlns:e=\"urn:example\" e:a=\"1\"><e:thing><e:inner/></e:thing><initial-ttl>7</initial-ttl></configuration></overlay>";
        Assert.Equal(7, OverlayDocument.Parse(xml).Configurations[0].Configuration.InitialTtl);
    }
}
