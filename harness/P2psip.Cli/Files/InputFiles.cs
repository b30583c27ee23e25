using System.Buffers.Binary;
using System.CommandLine;
using P2psip.Framing;

namespace P2psip.Cli.Files;

/// <summary>
/// Reads message files, reading only as much as one message can be: the framing header's 24-bit
/// length (§6.6.2) or the forwarding header's 32-bit length (§6.3.2), capped by --max-message-size,
/// plus one byte so the decoder can name trailing bytes. So a huge file, or /dev/zero, costs a few
/// bytes of memory, not its size. Every I/O failure becomes a one-line <see cref="CliError"/>.
/// </summary>
internal static class InputFiles
{
    /// <summary>The default --max-message-size: the largest message a framed DATA can carry (24-bit length).</summary>
    public const int DefaultMaxMessageSize = 0xFF_FFFF;

    /// <summary>Offset of forwarding_header.length: relo_token 4, overlay 4, configuration_sequence 2, version 1, ttl 1, fragment 4 (§6.3.2).</summary>
    private const int ForwardingLengthOffset = 16;

    /// <summary>--max-message-size, for every verb that reads message files.</summary>
    public static Option<int> MaxMessageSizeOption() => new("--max-message-size")
    {
        Description = $"Largest message read from a file, in bytes (default {DefaultMaxMessageSize}, the most a framed DATA carries)",
        DefaultValueFactory = _ => DefaultMaxMessageSize,
    };

    public static void CheckMaxMessageSize(int maxMessageSize)
    {
        if (maxMessageSize < 1) throw new CliError($"--max-message-size must be at least 1, got {maxMessageSize}");
    }

    /// <summary>Largest configuration document or PEM file read whole (an overlay.xml is a few kilobytes).</summary>
    public const long MaxDocumentSize = 16L * 1024 * 1024;

    /// <summary>
    /// Checks that <paramref name="path"/> (given with <paramref name="option"/>) is a regular file of at
    /// most <see cref="MaxDocumentSize"/> bytes, so a document read whole never reads a device or a huge file.
    /// </summary>
    public static void CheckDocument(string path, string option)
    {
        var kind = FileKind.Of(path);
        if (kind.Name is FileKindName.Missing) throw new CliError($"{option} {path}: no such file");
        if (!kind.IsRegular) throw new CliError($"{option} {path}: {kind.Describe()}");
        long length = new FileInfo(path).Length;
        if (length > MaxDocumentSize) throw new CliError($"{option} {path}: {length} bytes is too large for a configuration or PEM file (at most {MaxDocumentSize})");
    }

    public static byte[] Read(string path, int maxMessageSize = DefaultMaxMessageSize)
    {
        var kind = FileKind.Of(path);
        if (kind.Name is FileKindName.Missing)
            throw new CliError(path.StartsWith('-') ? $"{path}: unknown option (see --help)" : $"{path}: no such file");
        if (kind.Name is FileKindName.Directory or FileKindName.Socket)
            throw new CliError($"{path}: cannot read: {kind.Describe()}");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            var head = new byte[ForwardingLengthOffset + 4];
            int got = ReadUpTo(stream, head, 0, head.Length);
            long declared = DeclaredLength(head.AsSpan(0, got));
            if (declared > maxMessageSize + (long)FramedMessage.DataHeaderSize)
                throw new CliError($"{path}: declares a message of {declared} bytes, more than --max-message-size {maxMessageSize}");
            // One byte past what the header declares, so trailing bytes are reported, not silently cut.
            long wanted = Math.Max(declared, got) + 1;
            var bytes = new byte[wanted];
            head.AsSpan(0, got).CopyTo(bytes);
            int total = got == head.Length ? got + ReadUpTo(stream, bytes, got, bytes.Length - got) : got;
            return bytes.AsSpan(0, total).ToArray();
        }
        catch (FileNotFoundException) { throw new CliError($"{path}: no such file"); }
        catch (DirectoryNotFoundException) { throw new CliError($"{path}: no such file"); }
        catch (UnauthorizedAccessException) { throw new CliError($"{path}: cannot read: permission denied"); }
        catch (IOException e) { throw new CliError($"{path}: cannot read: {Errors.Reason(e)}"); }
    }

    /// <summary>The whole length the first bytes declare, or what has been read when they declare none.</summary>
    private static long DeclaredLength(ReadOnlySpan<byte> head)
    {
        if (head.Length >= FramedMessage.DataHeaderSize && head[0] == FramedMessage.DataType)
            return FramedMessage.DataHeaderSize + (head[5] << 16 | head[6] << 8 | head[7]);
        if (head.Length >= 1 && head[0] == FramedMessage.AckType) return FramedMessage.AckSize;
        // Only a forwarding header (relo_token first) declares a length; anything else is invalid at byte 0.
        if (head.Length >= ForwardingLengthOffset + 4 && BinaryPrimitives.ReadUInt32BigEndian(head) == P2psip.Messages.ForwardingHeader.ReloToken)
            return BinaryPrimitives.ReadUInt32BigEndian(head[ForwardingLengthOffset..]);
        return head.Length;
    }

    private static int ReadUpTo(Stream stream, byte[] buffer, int offset, int count)
    {
        int total = 0;
        while (total < count)
        {
            int n = stream.Read(buffer, offset + total, count - total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
