using System.CommandLine;
using System.Net;
using P2psip.Overlay;
using P2psip.Security;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip enroll serve</c> runs the HTTPS enrollment and configuration server (§11.2, §11.3);
/// <c>p2psip enroll request</c> makes a key and CSR and fetches a certificate from such a server.
/// </summary>
internal static class EnrollCommand
{
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
            var directory = parse.GetValue(dir)!;
            var endpoint = ParseEndpoint(parse.GetValue(listen)!);
            var ca = OverlayCommand.LoadAuthority(directory);
            var document = OverlayCommand.LoadDocument(directory);
            await using var server = new EnrollmentServer(ca, document) { Log = line => Console.WriteLine(line) };
            Uri url;
            try { url = await server.StartAsync(endpoint, cancel); }
            catch (IOException e) { throw new CliError($"cannot listen on {endpoint}: {e.Message}"); }
            catch (System.Net.Sockets.SocketException e) { throw new CliError($"cannot listen on {endpoint}: {e.Message}"); }
            // The document on disk names this server from now on.
            server.ServedDocument!.Save(Path.Combine(directory, OverlayDirectory.ConfigurationFile));
            Console.WriteLine($"enrollment server for overlay {ca.Overlay} listening on {url} (enroll: {new Uri(url, EnrollmentServer.EnrollPath)}, configuration: {new Uri(url, EnrollmentServer.ConfigurationPath)})");
            try { await Task.Delay(Timeout.Infinite, cancel); }
            catch (OperationCanceledException) { }
            Console.WriteLine("stopped");
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
        var nodes = new Option<int>("--nodes") { Description = "Number of Node-IDs to ask for", DefaultValueFactory = _ => 1 };
        var root = new Option<string?>("--root") { Description = "PEM file of the overlay's root certificate to trust for HTTPS (otherwise the first contact is trusted if consistent)" };
        var rsa = new Option<bool>("--rsa") { Description = "Make an RSA 2048 key instead of ECDSA P-256" };
        var command = new Command("request", "Make a key and CSR, enroll, and write DIR/key.pem and DIR/cert.pem");
        foreach (var o in new Option[] { server, user, password, output, nodes, root, rsa }) command.Options.Add(o);
        command.SetAction(async (parse, cancel) =>
        {
            if (!Uri.TryCreate(parse.GetValue(server), UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
                throw new CliError($"--server \"{parse.GetValue(server)}\" must be an https:// URL (§11.3)");
            var directory = parse.GetValue(output)!;
            IEnumerable<Org.BouncyCastle.X509.X509Certificate>? pinned = null;
            if (parse.GetValue(root) is { } rootFile)
            {
                try { pinned = [PemFiles.ReadCertificate(rootFile)]; }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException) { throw new CliError($"{rootFile}: {e.Message}"); }
            }
            else Console.Error.WriteLine("p2psip: warning: no --root given; trusting the server's certificate because it chains to the root-cert it serves");
            var keys = KeyPairs.Generate(parse.GetValue(rsa) ? KeyAlgorithm.Rsa2048 : KeyAlgorithm.EcdsaP256);
            EnrollmentClient.Result result;
            try
            {
                result = await new EnrollmentClient(pinned).EnrollAsync(url, parse.GetValue(user)!, parse.GetValue(password)!, keys, parse.GetValue(nodes), cancel);
            }
            catch (EnrollmentRefusedException e) { throw new CliError($"enrollment refused: {e.Token}", ExitCodes.Failed); }
            catch (HttpRequestException e) { throw new CliError($"{url}: {e.Message}"); }
            catch (TaskCanceledException) { throw new CliError($"{url}: no answer in time"); }
            catch (InvalidDataException e) { throw new CliError($"{url}: {e.Message}", ExitCodes.Failed); }
            catch (OverlayConfigurationError e) { throw new CliError($"{url}: {e.Message}", ExitCodes.Failed); }
            try
            {
                result.Identity.Save(directory);
                result.Document.Save(Path.Combine(directory, OverlayDirectory.ConfigurationFile));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliError($"{directory}: {e.Message}"); }
            Console.WriteLine($"enrolled in overlay {result.Configuration.InstanceName} as {result.Identity}; wrote {Path.Combine(directory, Identity.KeyFile)}, {Path.Combine(directory, Identity.CertificateFile)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static IPEndPoint ParseEndpoint(string text)
    {
        if (!IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port == 0 && !text.EndsWith(":0", StringComparison.Ordinal))
            throw new CliError($"--listen \"{text}\" must be ADDRESS:PORT, e.g. 127.0.0.1:8443");
        return endpoint;
    }
}
