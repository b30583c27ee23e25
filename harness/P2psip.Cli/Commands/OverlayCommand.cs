using System.CommandLine;
using P2psip.Cli.Files;
using P2psip.Overlay;
using P2psip.Security;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip overlay init</c> creates an overlay's CA, configuration document and empty user list;
/// <c>p2psip overlay add-user</c> adds an enrollment account (§11.3).
/// </summary>
internal static class OverlayCommand
{
    public static Command Create()
    {
        var command = new Command("overlay", "Create an overlay (CA, configuration document, user list) and manage its users");
        command.Subcommands.Add(Init());
        command.Subcommands.Add(AddUser());
        command.Subcommands.Add(OverlayStatusCommand.Create());
        return command;
    }

    private static Command Init()
    {
        var name = new Option<string>("--name") { Description = "Overlay name (the configuration's instance-name)", Required = true };
        var dir = new Option<string>("--dir") { Description = "Directory to create the overlay in", Required = true };
        var max = new Option<int>("--max-nodes-per-user")
        {
            Description = "Most Node-IDs the enrollment server issues to one user",
            DefaultValueFactory = _ => EnrollmentAuthority.DefaultMaxNodesPerUser,
        };
        var command = new Command("init", "Create the CA, DIR/overlay.xml and an empty user list");
        command.Options.Add(name);
        command.Options.Add(dir);
        command.Options.Add(max);
        command.SetAction(parse =>
        {
            var overlay = parse.GetValue(name)!;
            var directory = parse.GetValue(dir)!;
            int cap = parse.GetValue(max);
            if (cap < 1) throw new CliError("--max-nodes-per-user must be at least 1");
            if (EnrollmentAuthority.ProblemWithOverlayName(overlay) is { } problem) throw new CliError($"--name: {problem}");
            var kind = FileKind.Of(directory);
            if (kind.Exists && kind.Name is not FileKindName.Directory) throw new CliError($"--dir {directory}: {kind.Describe()}, not a folder");
            if (FileKind.Of(Path.Combine(directory, EnrollmentAuthority.KeyFile)).Exists) throw new CliError($"--dir {directory}: already holds an overlay CA");
            // The directory's files are one set: all of them, or (and no new folder) none.
            using var outputs = new OutputSet();
            var (ca, document) = OverlayDirectory.Create(overlay, cap);
            var files = OverlayDirectory.Files(ca, document).Select(f => f with { File = Path.Combine(directory, f.File) }).ToList();
            outputs.CreateDirectory(directory);
            foreach (var (file, _, _) in files) outputs.Check(file);
            foreach (var (file, text, ownerOnly) in files)
                outputs.Add(file, temp => { if (ownerOnly) PemFiles.WriteOwnerOnly(temp, text); else File.WriteAllText(temp, text); });
            outputs.Commit();
            parse.InvocationConfiguration.Output.WriteLine($"created overlay {overlay} in {directory}: {EnrollmentAuthority.CertificateFile}, {OverlayDirectory.ConfigurationFile}, {EnrollmentAuthority.UsersFile} (at most {cap} Node-IDs per user)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command AddUser()
    {
        var dir = new Option<string>("--dir") { Description = "The overlay directory", Required = true };
        var user = new Option<string>("--user") { Description = "User name (goes in certificates as rfc822Name)", Required = true };
        var password = new Option<string>("--password") { Description = "The user's enrollment password", Required = true };
        var command = new Command("add-user", "Add an enrollment account");
        command.Options.Add(dir);
        command.Options.Add(user);
        command.Options.Add(password);
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(dir)!;
            var ca = LoadAuthority(directory);
            try { ca.AddUser(parse.GetValue(user)!, parse.GetValue(password)!); }
            catch (ArgumentException e) { throw new CliError(Errors.Reason(e)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliError($"{Path.Combine(directory, EnrollmentAuthority.UsersFile)}: cannot write: {Errors.Reason(e)}"); }
            parse.InvocationConfiguration.Output.WriteLine($"added user {parse.GetValue(user)} to overlay {ca.Overlay}");
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static EnrollmentAuthority LoadAuthority(string directory)
    {
        var kind = FileKind.Of(directory);
        if (kind.Name is FileKindName.Missing) throw new CliError($"--dir {directory}: no such folder");
        if (kind.Name is not FileKindName.Directory) throw new CliError($"--dir {directory}: {kind.Describe()}, not an overlay folder");
        try { return EnrollmentAuthority.Load(directory); }
        catch (FileNotFoundException e) { throw new CliError($"--dir {directory}: not an overlay directory (no {Path.GetFileName(e.FileName)})"); }
        catch (UnauthorizedAccessException) { throw new CliError($"--dir {directory}: cannot read: permission denied"); }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or ArgumentException
            or Org.BouncyCastle.Security.Certificates.CertificateException or Org.BouncyCastle.OpenSsl.PemException or InvalidCastException)
        {
            throw new CliError($"--dir {directory}: not an overlay directory ({Errors.Reason(e)})");
        }
    }

    internal static OverlayDocument LoadDocument(string directory)
    {
        var path = Path.Combine(directory, OverlayDirectory.ConfigurationFile);
        try { return OverlayDocument.Load(path); }
        catch (OverlayConfigurationError e) { throw new CliError($"{path}: {Errors.Reason(e)}"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException) { throw new CliError($"{path}: {Errors.Reason(e)}"); }
    }
}
