using System.CommandLine;
using System.Text.RegularExpressions;
using P2psip.Cli.Commands;

namespace P2psip.Cli;

/// <summary>
/// Parses the command line and runs the verb inside the CLI's one error boundary: a user's mistake or
/// an environment problem (<see cref="CliError"/>) is one line and its exit status; anything else is
/// a bug, printed as one line naming the verb and the cause with exit 70 (the trace with --verbose).
/// Standard output goes through <see cref="GuardedOutput"/>, so a full disk or closed pipe on stdout is
/// one line too.
/// </summary>
internal static partial class CliProgram
{
    /// <summary>The program: the real verbs on the process's standard output and error.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        var stdout = new GuardedOutput(Console.Out) { Bytes = Console.OpenStandardOutput() };
        // Verbs that print with Console.WriteLine go through the guard too.
        Console.SetOut(stdout);
        return RunAsync(args, CommandCatalog.All(), stdout, Console.Error);
    }

    /// <summary>The boundary itself, over any verbs and writers (the tests give it a verb that fails on purpose).</summary>
    internal static async Task<int> RunAsync(string[] args, IEnumerable<Command> verbs, TextWriter output, TextWriter error)
    {
        var stdout = output as GuardedOutput ?? new GuardedOutput(output);
        if (args is ["--version"])
        {
            try { stdout.WriteLine(BuildInfo.VersionLine); stdout.Flush(); }
            catch (CliError e) { error.WriteLine($"p2psip: {e.Message}"); return e.ExitCode; }
            return ExitCodes.Ok;
        }
        var verbose = new Option<bool>("--verbose") { Description = "On an internal error, print the stack trace", Recursive = true };
        var root = new RootCommand($"p2psip {BuildInfo.Version}: conformance and fuzzing harness for RELOAD (RFC 6940) P2PSIP peers");
        root.Options.Add(verbose);
        foreach (var command in verbs)
            root.Subcommands.Add(command);

        var parsed = root.Parse(args);
        var verb = VerbOf(parsed);
        if (parsed.Errors.Count > 0)
        {
            // One line: the first problem, in words (no .NET type names), and where help is.
            // An unknown word says more than the "required command" that follows from it.
            var first = parsed.Errors.OrderBy(e => e.Message.StartsWith("Required command", StringComparison.Ordinal) ? 1 : 0).First();
            error.WriteLine($"p2psip: {Readable(first.Message)} (try '{verb} --help')");
            return ExitCodes.UsageOrIo;
        }
        try
        {
            int status = await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = stdout, Error = error });
            stdout.Flush();
            return status;
        }
        catch (CliError e)
        {
            error.WriteLine($"p2psip: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM while a verb waited: not a bug.
            error.WriteLine($"{verb}: interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            error.WriteLine($"{verb}: internal error: {Errors.Reason(e)}; this is a bug; rerun with --verbose for the trace");
            if (parsed.GetValue(verbose)) error.WriteLine(e.ToString());
            return ExitCodes.InternalError;
        }
    }

    /// <summary>"p2psip enroll request": the verb as typed, for messages.</summary>
    private static string VerbOf(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command is RootCommand ? "p2psip" : result.Command.Name);
        return names.Count == 0 ? "p2psip" : string.Join(' ', names);
    }

    /// <summary>System.CommandLine names the .NET type it wanted; say what is expected instead.</summary>
    internal static string Readable(string message)
    {
        var text = TypeName().Replace(message, match => "as " + match.Groups[1].Value switch
        {
            var t when t.Contains("Int32", StringComparison.Ordinal) || t.Contains("Int64", StringComparison.Ordinal) => "an integer",
            var t when t.Contains("UInt", StringComparison.Ordinal) => "a whole number ≥ 0",
            var t when t.Contains("Boolean", StringComparison.Ordinal) => "true or false",
            var t when t.Contains("Double", StringComparison.Ordinal) => "a number",
            _ => "the expected kind of value",
        });
        return text.TrimEnd('.');
    }

    [GeneratedRegex(@"as expected type '([^']+)'")]
    private static partial Regex TypeName();
}
