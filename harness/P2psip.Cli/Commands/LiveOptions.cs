using System.CommandLine;
using System.Net;
using P2psip.Messages;
using P2psip.Overlay;
using P2psip.Peer;
using P2psip.Peer.Live;
using P2psip.Security;

namespace P2psip.Cli.Commands;

/// <summary>
/// The options the live verbs share (<c>peer</c>, <c>sip</c>, <c>overlay status</c>) and how they are
/// read: the overlay (a directory with overlay.xml, or the file), the identity directory, addresses,
/// the transport and the defences to switch off. Every problem becomes one <see cref="CliError"/> line
/// naming the bad file or address.
/// </summary>
internal sealed class LiveOptions
{
    public Option<string> Overlay { get; } = new("--overlay") { Description = "The overlay: a directory holding overlay.xml, or the overlay.xml file", Required = true };
    public Option<string> Identity { get; } = new("--identity") { Description = "Directory with this node's key.pem and cert.pem (from enroll request)", Required = true };
    public Option<string?> Bootstrap { get; } = new("--bootstrap") { Description = "HOST:PORT of a peer of the overlay" };
    public Option<string> Transport { get; } = new("--transport") { Description = "Overlay link protocol: tls, dtls or insecure-tcp (INSECURE plaintext; needs --disable tls-only)", DefaultValueFactory = _ => "tls" };
    public Option<string[]> Disable { get; } = new("--disable") { Description = "Defences to switch off (names as in THREATS.md)", AllowMultipleArgumentsPerToken = true };
    public Option<double> Timeout { get; } = NetworkWait.TimeoutOption(60);

    public void AddTo(Command command, bool bootstrap = true)
    {
        command.Options.Add(Timeout);
        command.Options.Add(Overlay);
        command.Options.Add(Identity);
        if (bootstrap) command.Options.Add(Bootstrap);
        command.Options.Add(Transport);
        command.Options.Add(Disable);
    }

    public static OverlayConfiguration LoadConfiguration(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, OverlayDirectory.ConfigurationFile) : path;
        P2psip.Cli.Files.InputFiles.CheckDocument(file, "--overlay");
        OverlayDocument document;
        try { document = OverlayDocument.Load(file); }
        catch (UnauthorizedAccessException) { throw new CliError($"--overlay {file}: cannot read: permission denied"); }
        catch (Exception e) when (e is OverlayConfigurationError or IOException or System.Xml.XmlException or FormatException or ArgumentException)
        {
            throw new CliError($"--overlay {file}: {Errors.Reason(e)}");
        }
        var configuration = document.Configurations.FirstOrDefault()?.Configuration ?? throw new CliError($"--overlay {file}: no configuration element");
        if (configuration.RootCertificates.Count == 0) throw new CliError($"--overlay {file}: the configuration has no root-cert, so links cannot be authenticated (§11.1)");
        // The reference peer implements CHORD-RELOAD only (§10); any other plugin would be a different overlay.
        if (!string.Equals(configuration.TopologyPlugin, OverlayConfiguration.ChordReload, StringComparison.OrdinalIgnoreCase))
            throw new CliError($"--overlay {file}: topology-plugin \"{configuration.TopologyPlugin}\" is not supported; this peer speaks {OverlayConfiguration.ChordReload} (§10)");
        // §6.3.2.1: a TTL of 0 would drop every request at its first hop.
        if (configuration.InitialTtl < 1) throw new CliError($"--overlay {file}: initial-ttl {configuration.InitialTtl} would drop every request at the first hop; it must be at least 1 (§6.3.2)");
        return configuration;
    }

    public static Identity LoadIdentity(string directory)
    {
        var kind = P2psip.Cli.Files.FileKind.Of(directory);
        if (kind.Name is P2psip.Cli.Files.FileKindName.Missing) throw new CliError($"--identity {directory}: no such folder");
        if (kind.Name is not P2psip.Cli.Files.FileKindName.Directory) throw new CliError($"--identity {directory}: {kind.Describe()}, not an identity folder");
        foreach (var file in new[] { P2psip.Security.Identity.KeyFile, P2psip.Security.Identity.CertificateFile })
            if (!File.Exists(Path.Combine(directory, file))) throw new CliError($"--identity {directory}: no {file} (from 'enroll request')");
        try { return P2psip.Security.Identity.Load(directory); }
        catch (UnauthorizedAccessException) { throw new CliError($"--identity {directory}: cannot read: permission denied"); }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException or InvalidCastException
            or Org.BouncyCastle.Security.Certificates.CertificateException or Org.BouncyCastle.OpenSsl.PemException)
        {
            throw new CliError($"--identity {directory}: not an identity folder ({Errors.Reason(e)})");
        }
    }

    /// <summary>
    /// Checks locally what would otherwise only show as a failed Attach at the admitting peer: the
    /// identity's certificate is issued by the overlay's root-cert for this overlay (§11.3), its key is
    /// the certificate's, and the bootstrap is not this peer's own address.
    /// </summary>
    private static void CheckIdentityAgainst(OverlayConfiguration configuration, Identity identity, string directory, DefenceSwitches defences)
    {
        if (!identity.Certificate.Certificate.GetPublicKey().Equals(identity.Keys.Public))
            throw new CliError($"--identity {directory}: {P2psip.Security.Identity.KeyFile} is not the key of {P2psip.Security.Identity.CertificateFile}");
        if (!defences.IsOn(DefenceSwitches.CertificateValidation)) return;
        var roots = configuration.RootCertificates.Select(der => new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(der.ToArray())).ToArray();
        var check = new CertificateValidator(roots, configuration.InstanceName).Check(identity.Certificate);
        if (!check.Accepted)
            throw new CliError($"--identity {directory}: the certificate is not accepted by overlay {configuration.InstanceName}'s root-cert: {check.Refusal} (enroll with this overlay's server)");
    }

    public static IPEndPoint ParseEndPoint(string text, string option)
    {
        if (IPEndPoint.TryParse(text, out var endPoint) && endPoint.Port != 0 || text.EndsWith(":0", StringComparison.Ordinal) && IPEndPoint.TryParse(text, out endPoint))
            return endPoint!;
        // A host name: resolve it (e.g. localhost:4000).
        int colon = text.LastIndexOf(':');
        if (colon > 0 && ushort.TryParse(text[(colon + 1)..], out var port))
        {
            try
            {
                var address = Dns.GetHostAddresses(text[..colon]).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
                if (address is not null) return new IPEndPoint(address, port);
            }
            catch (System.Net.Sockets.SocketException) { }
        }
        throw new CliError($"{option} {text}: not an address of the form HOST:PORT");
    }

    public LivePeerOptions Read(ParseResult parse, string listen, bool needBootstrap, Action<string> log)
    {
        var transport = parse.GetValue(Transport)!.ToLowerInvariant() switch
        {
            "tls" => LinkTransport.Tls,
            "dtls" => LinkTransport.Dtls,
            "insecure-tcp" => LinkTransport.InsecureTcp,
            var other => throw new CliError($"--transport {other}: must be tls, dtls or insecure-tcp"),
        };
        var defences = DefenceSwitches.AllOn;
        try { defences = defences.Disable(parse.GetValue(Disable) ?? []); }
        catch (ArgumentException e) { throw new CliError(e.Message.Split(" (Parameter")[0]); }
        if (transport == LinkTransport.InsecureTcp && defences.IsOn(DefenceSwitches.TlsOnly))
            throw new CliError("--transport insecure-tcp: INSECURE plaintext links are refused while the tls-only defence is on (§6.6); add --disable tls-only");
        var bootstrapText = parse.GetValue(Bootstrap);
        if (needBootstrap && bootstrapText is null) throw new CliError("--bootstrap HOST:PORT is required");
        var configuration = LoadConfiguration(parse.GetValue(Overlay)!);
        var identity = LoadIdentity(parse.GetValue(Identity)!);
        if (identity.NodeId.Length != configuration.NodeIdLength)
            throw new CliError($"--identity {parse.GetValue(Identity)}: the certificate's Node-ID has {identity.NodeId.Length} bytes, the overlay's node-id-length is {configuration.NodeIdLength}");
        CheckIdentityAgainst(configuration, identity, parse.GetValue(Identity)!, defences);
        var listenAt = ParseEndPoint(listen, "--listen");
        var bootstrapAt = bootstrapText is null ? null : ParseEndPoint(bootstrapText, "--bootstrap");
        if (bootstrapAt is not null && bootstrapAt.Port == listenAt.Port && (bootstrapAt.Address.Equals(listenAt.Address) || IPAddress.Any.Equals(listenAt.Address)))
            throw new CliError($"--bootstrap {bootstrapText}: is this peer's own --listen address; give the address of another peer of the overlay (§10.5)");
        return new LivePeerOptions
        {
            Configuration = configuration,
            Identity = identity,
            Listen = listenAt,
            Transport = transport,
            Bootstrap = bootstrapAt is null ? null : IpAddressPort.From(bootstrapAt),
            Defences = defences,
            Log = log,
        };
    }

    /// <summary>
    /// The peer's log for a short-lived verb (sip, overlay status): its start-up lines only with
    /// --verbose, so a failure stays one line on standard error; a switched-off defence is always said.
    /// </summary>
    public static Action<string> DiagnosticLog(ParseResult parse, Action<string> write)
    {
        bool verbose = parse.GetValue<bool>("--verbose");
        return line => { if (verbose || line.Contains("DEFENCE OFF", StringComparison.Ordinal)) write(line); };
    }

    /// <summary>The verb's network wait, with its --timeout.</summary>
    public NetworkWait Wait(ParseResult parse, string verb) => NetworkWait.From(parse, Timeout, verb);

    /// <summary>Creates the peer, turning a busy port or a bad configuration into one line.</summary>
    public static P2psip.Peer.Live.LivePeer Create(LivePeerOptions options)
    {
        try { return P2psip.Peer.Live.LivePeer.Create(options); }
        catch (System.Net.Sockets.SocketException e) { throw new CliError($"--listen {options.Listen}: cannot listen: {Errors.Reason(e)}"); }
        catch (IOException e) { throw new CliError($"--listen {options.Listen}: cannot listen: {Errors.Reason(e)}"); }
        catch (ArgumentException e) { throw new CliError(Errors.Reason(e)); }
    }

    /// <summary>
    /// Starts (joins) the peer under the verb's deadline, saying which §10.5 step is awaited: the link
    /// to the bootstrap peer, then the Attach to the admitting peer and its Update, then the Join.
    /// A refused join is one line with its cause (exit 1); a silent one names the step (exit 2).
    /// </summary>
    public static async Task StartAsync(P2psip.Peer.Live.LivePeer peer, NetworkWait wait)
    {
        var bootstrap = peer.Options.Bootstrap;
        int links = 0;
        var learn = peer.Links.LinkOpened;
        peer.Links.LinkOpened = link =>
        {
            learn?.Invoke(link);
            wait.Step(Interlocked.Increment(ref links) == 1
                ? "the Attach to the admitting peer and its Update (§10.5 steps 2-3)"
                : "the Join to the admitting peer (§10.5 step 5)");
        };
        try
        {
            // The peer's own join deadline is past the verb's, so the verb's wait is the one that names the step.
            await wait.RunAsync($"a link to the bootstrap peer {bootstrap} (connect and handshake, §10.5 step 1)",
                _ => peer.StartAsync(wait.Deadline + TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            peer.Crash();
            // Nobody there is an I/O error (2); a peer that answered and refused is a negative result (1).
            bool unreachable = e.Message.StartsWith("cannot reach the bootstrap peer", StringComparison.Ordinal);
            throw new CliError($"cannot join through {bootstrap}: {Errors.Reason(e)}", unreachable ? ExitCodes.UsageOrIo : ExitCodes.Failed);
        }
        catch (CliError)
        {
            peer.Crash();
            throw;
        }
        finally
        {
            peer.Links.LinkOpened = learn;
        }
    }
}
