using System.CommandLine;
using System.Net;
using P2psip.Cli.Files;
using P2psip.Overlay;
using P2psip.Security;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip enroll serve</c> runs the HTTPS enrollment and configuration server (§11.2, §11.3);
/// <c>p2psip enroll request</c> makes a key and CSR and fetches a certificate from such a server.
/// </summary>
internal static class EnrollCommand
{
    /// <summary>Most Node-IDs one request may ask for: a local sanity bound, the server applies its own cap.</summary>
    public const int MaxNodesPerRequest = 1000;

    public static Command Create()
    {
        var command = new Command("enroll", "Run an enrollment server or enroll an identity");
        command.Subcommands.Add(Serve());
        command.Subcommands.Add(Request());
        return command;
    }

    private static Command Serve()
    {
        var dir = new Option<string>("--dir") { Description = "The overlay directory (from 'overlay init')", Required = true };
        var listen = new Option<string>("--listen") { Description = "Address and port to listen on, e.g. 127.0.0.1:8443", Required = true };
        var command = new Command("serve", "Serve enrollment (POST /enroll) and the configuration (GET /.well-known/reload-config) over HTTPS until stopped");
        command.Options.Add(dir);
        command.Options.Add(listen);
        command.SetAction(async (parse, cancel) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var directory = parse.GetValue(dir)!;
            var endpoint = ParseEndpoint(parse.GetValue(listen)!);
            var ca = OverlayCommand.LoadAuthority(directory);
            var document = OverlayCommand.LoadDocument(directory);
            var configurationFile = Path.Combine(directory, OverlayDirectory.ConfigurationFile);
            await using var server = new EnrollmentServer(ca, document) { Log = line => output.WriteLine(line) };
            // Every client of a server without the CA's root-cert, or with a CA key from elsewhere, would fail: refuse to start.
            if (server.ProblemAtStart() is { } problem) throw new CliError($"{directory}: {problem}");
            new OutputSet().Check(configurationFile);
            Uri url;
            try { url = await server.StartAsync(endpoint, cancel); }
            catch (IOException e) { throw new CliError($"--listen {endpoint}: cannot listen: {Errors.Reason(e)}"); }
            catch (System.Net.Sockets.SocketException e) { throw new CliError($"--listen {endpoint}: cannot listen: {Errors.Reason(e)}"); }
            // The document on disk names this server from now on.
            AtomicFile.Write(configurationFile, temp => server.ServedDocument!.Save(temp));
            output.WriteLine($"enrollment server for overlay {ca.Overlay} listening on {url} (enroll: {new Uri(url, EnrollmentServer.EnrollPath)}, configuration: {new Uri(url, EnrollmentServer.ConfigurationPath)})");
            try { await Task.Delay(Timeout.Infinite, cancel); }
            catch (OperationCanceledException) { }
            output.WriteLine("stopped");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Request()
    {
        var server = new Option<string>("--server") { Description = "The server's base URL, e.g. https://127.0.0.1:8443", Required = true };
        var user = new Option<string>("--user") { Description = "User name", Required = true };
        var password = new Option<string>("--password") { Description = "Password", Required = true };
        var output = new Option<string>("--out") { Description = "Directory for key.pem, cert.pem and overlay.xml", Required = true };
        var nodes = new Option<int>("--nodes") { Description = $"Number of Node-IDs to ask for (1 to {MaxNodesPerRequest}; the server caps them per user)", DefaultValueFactory = _ => 1 };
        var root = new Option<string?>("--root") { Description = "PEM file of the overlay's root certificate to trust for HTTPS (otherwise the first contact is trusted if consistent)" };
        var rsa = new Option<bool>("--rsa") { Description = "Make an RSA 2048 key instead of ECDSA P-256" };
        var force = new Option<bool>("--force") { Description = "Replace an identity (key.pem, cert.pem) already in --out" };
        var timeout = NetworkWait.TimeoutOption(30);
        var command = new Command("request", "Make a key and CSR, enroll, and write DIR/key.pem and DIR/cert.pem");
        foreach (var o in new Option[] { server, user, password, output, nodes, root, rsa, force, timeout }) command.Options.Add(o);
        command.SetAction(async (parse, cancel) =>
        {
            var console = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            // Everything that can be checked locally is checked before the request: each request burns Node-IDs of the user's cap.
            if (!Uri.TryCreate(parse.GetValue(server), UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
                throw new CliError($"--server \"{parse.GetValue(server)}\" must be an https:// URL (§11.3)");
            var userName = parse.GetValue(user)!;
            if (UserAccount.ProblemWithName(userName) is { } badUser) throw new CliError($"--user: {badUser}");
            if (parse.GetValue(password)!.Length == 0) throw new CliError("--password must not be empty");
            int count = parse.GetValue(nodes);
            if (count is < 1 or > MaxNodesPerRequest) throw new CliError($"--nodes must be between 1 and {MaxNodesPerRequest}, got {count}");
            var wait = NetworkWait.From(parse, timeout, "enroll request");
            var directory = parse.GetValue(output)!;
            using var outputs = new OutputSet();
            var files = CheckIdentityDirectory(directory, parse.GetValue(force), outputs);
            IEnumerable<Org.BouncyCastle.X509.X509Certificate>? pinned = null;
            if (parse.GetValue(root) is { } rootFile) pinned = [ReadRoot(rootFile)];
            else error.WriteLine("p2psip: warning: no --root given; trusting the server's certificate because it chains to the root-cert it serves");

            var keys = KeyPairs.Generate(parse.GetValue(rsa) ? KeyAlgorithm.Rsa2048 : KeyAlgorithm.EcdsaP256);
            EnrollmentClient.Result result;
            try
            {
                var client = new EnrollmentClient(pinned) { Timeout = wait.Deadline + TimeSpan.FromSeconds(1), OnStep = wait.Step };
                result = await wait.RunAsync($"{url}", token => client.EnrollAsync(url, userName, parse.GetValue(password)!, keys, count, token), cancel);
            }
            catch (EnrollmentRefusedException e) { throw new CliError($"enrollment refused: {e.Token}", ExitCodes.Failed); }
            catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException)
            {
                // The validation callback refuses a server not issued by the pinned root: say so, not the callback's name.
                throw new CliError(pinned is not null && e.InnerException.Message.Contains("ValidationCallback", StringComparison.Ordinal)
                    ? $"{url}: the server's HTTPS certificate is not issued by --root {parse.GetValue(root)} (another overlay's server, or the wrong --root)"
                    : $"{url}: the TLS handshake failed ({Errors.Reason(e.InnerException)}); is it an https:// enrollment server?");
            }
            catch (HttpRequestException e) { throw new CliError($"{url}: {Errors.Reason(e)}"); }
            catch (TaskCanceledException) when (!cancel.IsCancellationRequested) { throw new CliError($"{url}: no answer within {wait.Deadline.TotalSeconds} s (--timeout)"); }
            catch (InvalidDataException e) { throw new CliError($"{url}: {Errors.Reason(e)}", ExitCodes.Failed); }
            catch (OverlayConfigurationError e) { throw new CliError($"{url}: {Errors.Reason(e)}", ExitCodes.Failed); }
            catch (System.Xml.XmlException e) { throw new CliError($"{url}: the configuration document is not XML ({Errors.Reason(e)})", ExitCodes.Failed); }

            outputs.Add(files.Key, temp => PemFiles.WriteOwnerOnly(temp, PemFiles.ToPem(result.Identity.PrivateKey)));
            outputs.AddText(files.Certificate, PemFiles.ToPem(result.Identity.Certificate.Certificate));
            outputs.AddText(files.Configuration, result.Document.ToXml());
            outputs.Commit();
            console.WriteLine($"enrolled in overlay {result.Configuration.InstanceName} as {result.Identity}; wrote {files.Key}, {files.Certificate}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Checks --out before anything is asked of the server: it is (or can be) a folder, its files can
    /// be written, and it does not already hold an identity unless --force.
    /// </summary>
    private static (string Key, string Certificate, string Configuration) CheckIdentityDirectory(string directory, bool force, OutputSet outputs)
    {
        var key = Path.Combine(directory, Identity.KeyFile);
        var certificate = Path.Combine(directory, Identity.CertificateFile);
        var configuration = Path.Combine(directory, OverlayDirectory.ConfigurationFile);
        var kind = FileKind.Of(directory);
        if (kind.Exists && kind.Name is not FileKindName.Directory) throw new CliError($"--out {directory}: {kind.Describe()}, not a folder");
        if (!force && (FileKind.Of(key).Exists || FileKind.Of(certificate).Exists))
            throw new CliError($"--out {directory}: already holds an identity ({Identity.KeyFile}, {Identity.CertificateFile}); give another folder, or --force to replace it");
        outputs.CreateDirectory(directory);
        foreach (var file in new[] { key, certificate, configuration }) outputs.CheckWritable(file);
        return (key, certificate, configuration);
    }

    private static Org.BouncyCastle.X509.X509Certificate ReadRoot(string rootFile)
    {
        InputFiles.CheckDocument(rootFile, "--root");
        try { return PemFiles.ReadCertificate(rootFile); }
        catch (UnauthorizedAccessException) { throw new CliError($"--root {rootFile}: cannot read: permission denied"); }
        // PemFiles' messages start with the path already.
        catch (Exception e) when (e is IOException or InvalidDataException or Org.BouncyCastle.Security.Certificates.CertificateException or Org.BouncyCastle.OpenSsl.PemException)
        {
            var reason = Errors.Reason(e);
            throw new CliError(reason.StartsWith(rootFile, StringComparison.Ordinal) ? $"--root {reason}" : $"--root {rootFile}: {reason}");
        }
    }

    internal static IPEndPoint ParseEndpoint(string text)
    {
        if (!IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port == 0 && !text.EndsWith(":0", StringComparison.Ordinal))
            throw new CliError($"--listen \"{text}\" must be ADDRESS:PORT, e.g. 127.0.0.1:8443");
        return endpoint;
    }
}
