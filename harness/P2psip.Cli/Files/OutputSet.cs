namespace P2psip.Cli.Files;

/// <summary>
/// The files one verb writes, written as a set: complete or absent. Each file is first written to a
/// temporary file (beside its target, so the final rename stays on one file system); <see cref="Commit"/>
/// then puts every file in place, and if any step fails, undoes the ones already done (replaced files
/// come back, new ones and new folders go). Dropping the set without committing removes the temporaries.
/// <para>
/// Targets are checked before anything is written: symbolic links are followed (the file they name
/// is written), a directory, socket or unknown kind is refused, an output that is one of the verb's
/// inputs (same device and inode) is refused, and a device or FIFO is written in place, as cp does —
/// a full device is reported, not replaced by a regular file.
/// </para>
/// </summary>
internal sealed class OutputSet : IDisposable
{
    private sealed record Staged(string Shown, string Target, string Temp, bool InPlace, bool Replaces);

    private readonly List<Staged> _staged = [];
    private readonly List<string> _createdDirectories = [];
    private readonly List<FileKind> _inputs = [];
    private bool _committed;

    /// <summary>Files the verb reads; an output that is one of them is refused.</summary>
    public OutputSet(IEnumerable<string>? inputs = null)
    {
        foreach (var input in inputs ?? []) _inputs.Add(FileKind.Of(input));
    }

    /// <summary>Checks a target without writing it: the one-line error comes before any side effect.</summary>
    public void Check(string path) => Resolve(path);

    /// <summary>
    /// <see cref="Check"/>, and also that a file can be created beside the target (the folder is
    /// writable), for a verb whose work cannot be repeated (an enrollment burns Node-IDs).
    /// </summary>
    public void CheckWritable(string path)
    {
        var (target, kind) = Resolve(path);
        if (kind.IsStream) return;
        var probe = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.probe");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (UnauthorizedAccessException) { throw new CliError($"{path}: cannot write: permission denied"); }
        catch (IOException e) { throw new CliError($"{path}: cannot write: {Errors.Reason(e)}"); }
    }

    /// <summary>
    /// Creates <paramref name="path"/> (and missing parents) if it does not exist; the folders this set
    /// made are removed again if the set is not committed.
    /// </summary>
    public void CreateDirectory(string path)
    {
        var kind = FileKind.Of(path);
        if (kind.Name is FileKindName.Directory) return;
        if (kind.Exists) throw new CliError($"{path}: cannot create the folder: {kind.Describe()}");
        var missing = new Stack<string>();
        for (var p = Path.GetFullPath(path); p is not null && FileKind.Of(p).Name is FileKindName.Missing; p = Path.GetDirectoryName(p))
            missing.Push(p);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliError($"{path}: cannot create the folder: {Errors.Reason(e)}");
        }
        // Innermost last, so undoing removes children before parents.
        while (missing.TryPop(out var created)) _createdDirectories.Add(created);
    }

    /// <summary>
    /// Writes a temporary file with <paramref name="write"/> (given its path) for <paramref name="path"/>,
    /// and returns the temporary's path, which may be read until the set is committed or dropped.
    /// </summary>
    public string Add(string path, Action<string> write)
    {
        var (target, kind) = Resolve(path);
        if (_staged.Any(s => s.Target == target)) throw new CliError($"{path}: given twice as an output");
        bool inPlace = kind.IsStream;
        // A device's folder (/dev) is not ours to write temporaries in.
        var temp = inPlace
            ? Path.Combine(Path.GetTempPath(), $"p2psip-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp")
            : Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{_staged.Count}.tmp");
        var staged = new Staged(path, target, temp, inPlace, kind.IsRegular);
        _staged.Add(staged);
        try
        {
            write(temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"{path}: cannot write: {Errors.Reason(e)}");
        }
        return temp;
    }

    public string AddBytes(string path, byte[] bytes) => Add(path, temp => File.WriteAllBytes(temp, bytes));

    public string AddText(string path, string text) => Add(path, temp => File.WriteAllText(temp, text));

    /// <summary>Puts every staged file in place, or none of them.</summary>
    public void Commit()
    {
        var done = new List<(Staged File, string? Backup)>();
        try
        {
            // Regular files first (renames, undoable), devices and FIFOs last (they cannot be taken back).
            foreach (var file in _staged.OrderBy(s => s.InPlace))
            {
                if (file.InPlace)
                {
                    WriteInPlace(file);
                    done.Add((file, null));
                    continue;
                }
                string? backup = null;
                if (file.Replaces && File.Exists(file.Target))
                {
                    backup = file.Temp + ".old";
                    File.Move(file.Target, backup, overwrite: true);
                }
                done.Add((file, backup));
                File.Move(file.Temp, file.Target, overwrite: false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CliError)
        {
            Undo(done);
            if (e is CliError) throw;
            var failed = done.Count > 0 ? done[^1].File.Shown : _staged[0].Shown;
            throw new CliError($"{failed}: cannot write: {Errors.Reason(e)}");
        }
        foreach (var (_, backup) in done)
            if (backup is not null) TryDelete(backup);
        _committed = true;
        Dispose();
    }

    public void Dispose()
    {
        foreach (var file in _staged) TryDelete(file.Temp);
        if (_committed) return;
        for (int i = _createdDirectories.Count - 1; i >= 0; i--)
        {
            try { Directory.Delete(_createdDirectories[i], recursive: false); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        _createdDirectories.Clear();
    }

    private (string Target, FileKind Kind) Resolve(string path)
    {
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { throw new CliError($"{path}: not a file name ({Errors.Reason(e)})"); }
        // Follow symbolic links to the file they name: that file is written, the link stays.
        try
        {
            var info = new FileInfo(full);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } final) full = final.FullName;
        }
        catch (IOException e) { throw new CliError($"{path}: {Errors.Reason(e)}"); }
        catch (UnauthorizedAccessException e) { throw new CliError($"{path}: {Errors.Reason(e)}"); }
        var kind = FileKind.Of(full);
        if (kind.Name is FileKindName.Directory or FileKindName.Socket or FileKindName.Unknown)
            throw new CliError($"{path}: cannot write: {kind.Describe()}");
        if (_inputs.Any(input => input.SameFileAs(kind)))
            throw new CliError($"{path}: is also an input; give another output file");
        var directory = Path.GetDirectoryName(full) ?? ".";
        if (!kind.IsStream && FileKind.Of(directory).Name is not FileKindName.Directory && !_createdDirectories.Contains(directory))
            throw new CliError($"{path}: no such directory {directory}");
        return (full, kind);
    }

    private static void WriteInPlace(Staged file)
    {
        try
        {
            using var source = File.OpenRead(file.Temp);
            using var target = new FileStream(file.Target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
            source.CopyTo(target);
            target.Flush(flushToDisk: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"{file.Shown}: cannot write: {Errors.Reason(e)}");
        }
    }

    private static void Undo(List<(Staged File, string? Backup)> done)
    {
        for (int i = done.Count - 1; i >= 0; i--)
        {
            var (file, backup) = done[i];
            if (file.InPlace) continue;
            try
            {
                if (backup is not null) File.Move(backup, file.Target, overwrite: true);
                else File.Delete(file.Target);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
