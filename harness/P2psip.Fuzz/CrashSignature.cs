using System.Diagnostics;

namespace P2psip.Fuzz;

/// <summary>
/// What makes two crashes "the same bug" for triage: the exception type and the top frames of the
/// stack where it was thrown (method names only, no offsets or line numbers, so rebuilds keep it).
/// </summary>
public static class CrashSignature
{
    public const int TopFrames = 3;

    public static string Of(Exception e)
    {
        var frames = new StackTrace(e, fNeedFileInfo: false).GetFrames()
            .Select(f => f.GetMethod())
            .Where(m => m is not null && m.DeclaringType?.FullName?.StartsWith(typeof(Reproducer).FullName!, StringComparison.Ordinal) != true)
            .Select(m => $"{m!.DeclaringType?.FullName}.{m.Name}")
            .Take(TopFrames);
        return $"{e.GetType().FullName} @ {string.Join(" < ", frames)}";
    }

    /// <summary>A short, file-name-safe id for a signature (stable across runs and machines).</summary>
    public static string Id(string signature)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(signature));
        return Convert.ToHexStringLower(hash, 0, 6);
    }
}
