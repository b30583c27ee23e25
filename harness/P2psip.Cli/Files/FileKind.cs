using System.Runtime.InteropServices;

namespace P2psip.Cli.Files;

/// <summary>What a path names after following symbolic links, as stat(2) says.</summary>
internal enum FileKindName { Missing, Regular, Directory, CharacterDevice, BlockDevice, Fifo, Socket, Unknown }

/// <summary>
/// The kind of file a path names and its identity (device, inode), following symbolic links. Used so
/// that an output is never a directory, a device is written in place rather than replaced, and an
/// output that is one of the inputs (by any name, hard links included) is refused.
/// </summary>
internal readonly record struct FileKind(FileKindName Name, ulong Device, ulong Inode)
{
    public bool Exists => Name is not FileKindName.Missing;
    public bool IsRegular => Name is FileKindName.Regular;
    /// <summary>A device or FIFO: written and read in place, as cp and cat do.</summary>
    public bool IsStream => Name is FileKindName.CharacterDevice or FileKindName.BlockDevice or FileKindName.Fifo;

    /// <summary>Same file (same device and inode).</summary>
    public bool SameFileAs(FileKind other) => Exists && other.Exists && Inode != 0 && Device == other.Device && Inode == other.Inode;

    public string Describe() => Name switch
    {
        FileKindName.Regular => "is a file",
        FileKindName.Directory => "is a directory",
        FileKindName.CharacterDevice => "is a character device",
        FileKindName.BlockDevice => "is a block device",
        FileKindName.Fifo => "is a FIFO",
        FileKindName.Socket => "is a socket",
        FileKindName.Missing => "no such file",
        _ => "is not a regular file",
    };

    public static FileKind Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return Portable(path);
        var buffer = new byte[256];
        int result;
        // statx(2) has one layout on every Linux architecture; AT_FDCWD, follow symlinks, STATX_TYPE|STATX_INO.
        try { result = statx(-100, path, 0, 0x1 | 0x100, buffer); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return Portable(path); }
        if (result != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is 2 or 20 ? new FileKind(FileKindName.Missing, 0, 0) : new FileKind(FileKindName.Unknown, 0, 0); // ENOENT, ENOTDIR
        }
        int mode = BitConverter.ToUInt16(buffer, 28) & 0xF000;
        ulong inode = BitConverter.ToUInt64(buffer, 32);
        ulong device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        var name = mode switch
        {
            0x8000 => FileKindName.Regular,
            0x4000 => FileKindName.Directory,
            0x2000 => FileKindName.CharacterDevice,
            0x6000 => FileKindName.BlockDevice,
            0x1000 => FileKindName.Fifo,
            0xC000 => FileKindName.Socket,
            _ => FileKindName.Unknown,
        };
        return new FileKind(name, device, inode);
    }

    private static FileKind Portable(string path) =>
        Directory.Exists(path) ? new FileKind(FileKindName.Directory, 0, 0)
        : File.Exists(path) ? new FileKind(FileKindName.Regular, 0, 0)
        : new FileKind(FileKindName.Missing, 0, 0);

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
