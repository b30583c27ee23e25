namespace P2psip.Tests.Cli;

/// <summary>Where a case's one line goes: standard error for a refusal, standard output for decode's "invalid" line.</summary>
internal enum OneLineOn { Error, Output, Nowhere }

/// <summary>
/// One row of the bad-input matrix: the command line (run in a <see cref="BadInputWorkspace"/>), the
/// exit status, the words the one line must hold, where it goes, and the paths the command may
/// create (everything else under the workspace must be exactly as before).
/// </summary>
internal sealed record BadInputCase(string Name, string[] Arguments, int Exit, string? Says = null, OneLineOn Line = OneLineOn.Error, string[]? MayCreate = null)
{
    public override string ToString() => Name;
}
