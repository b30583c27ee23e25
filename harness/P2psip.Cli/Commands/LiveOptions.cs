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

    public void AddTo(Command command, bool bootstrap = true)
    {
        command.Options.Add(Overlay);
        command.Options.Add(Identity);
        if (bootstrap) command.Options.Add(Bootstrap);
        command.Options.Add(Transport);
        command.Options.Add(Disable);
    }

    public static OverlayConfiguration LoadConfiguration(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, OverlayDirectory.ConfigurationFile) : path;
        OverlayDocument document;
        try { document = OverlayDocument.Load(file); }
        catch (OverlayConfigurationError e) { throw new CliError($"{file}: {e.Message}"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException) { throw new CliError($"{file}: {e.Message}"); }
        var configuration = document.Configurations.FirstOrDefault()?.Configuration ?? throw new CliError($"{file}: no configuration element");
        if (configuration.RootCertificates.Count == 0) throw new CliError($"{file}: the configuration has no root-cert, so links cannot be authenticated (§11.1)");
        return configuration;
    }

    public static Identity LoadIdentity(string directory)
    {
        try { return P2psip.Security.Identity.Load(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or FormatException or InvalidCastException)
        {
            throw new CliError($"{directory}: not an identity directory ({e.Message})");
        }
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
            throw new CliError($"{parse.GetValue(Identity)}: the certificate's Node-ID has {identity.NodeId.Length} bytes, the overlay's node-id-length is {configuration.NodeIdLength}");
        return new LivePeerOptions
        {
            Configuration = configuration,
            Identity = identity,
            Listen = ParseEndPoint(listen, "--listen"),
            Transport = transport,
            Bootstrap = bootstrapText is null ? null : IpAddressPort.From(ParseEndPoint(bootstrapText, "--bootstrap")),
            Defences = defences,
            Log = log,
        };
    }

    /// <summary>Creates the peer, turning a busy port or a bad configuration into one line.</summary>
    public static P2psip.Peer.Live.LivePeer Create(LivePeerOptions options)
    {
        try { return P2psip.Peer.Live.LivePeer.Create(options); }
        catch (System.Net.Sockets.SocketException e) { throw new CliError($"--listen {options.Listen}: {e.Message}"); }
        catch (ArgumentException e) { throw new CliError(e.Message.Split(" (Parameter")[0]); }
    }

    /// <summary>Starts (joins) the peer, turning a failed join into one line.</summary>
    public static async Task StartAsync(P2psip.Peer.Live.LivePeer peer, TimeSpan timeout)
    {
        try { await peer.StartAsync(timeout).ConfigureAwait(false); }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            peer.Crash();
            throw new CliError($"cannot join through {peer.Options.Bootstrap}: {e.Message}", ExitCodes.Failed);
        }
    }
}
