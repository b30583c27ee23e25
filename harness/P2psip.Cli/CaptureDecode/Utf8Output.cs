using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace P2psip.Cli.CaptureDecode;

/// <summary>
/// Buffered UTF-8 output for the capture decoder: text goes into one reusable 64 KiB buffer that is
/// written to standard output (or to a TextWriter, in tests) when full. Writing a capture of a
/// hundred thousand messages line by line through Console.Out, which flushes every line, costs more
/// than decoding it.
/// </summary>
internal sealed class Utf8Output : IBufferWriter<byte>, IDisposable
{
    private const int Size = 64 * 1024;
    private readonly GuardedOutput? _stream;
    private readonly TextWriter? _text;
    private byte[] _buf = new byte[Size];
    private int _len;

    private Utf8Output(GuardedOutput? stream, TextWriter? text)
    {
        _stream = stream;
        _text = text;
    }

    /// <summary>Standard output's bytes when <paramref name="output"/> guards the console, else <paramref name="output"/> as text.</summary>
    public static Utf8Output For(TextWriter output)
    {
        if (output is GuardedOutput { Bytes: not null } console)
        {
            console.Flush(); // text written before comes first
            return new Utf8Output(console, null);
        }
        return new Utf8Output(null, output);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buf.Length - _len) MakeRoom(bytes.Length);
        bytes.CopyTo(_buf.AsSpan(_len));
        _len += bytes.Length;
    }

    public void Write(string text) => Write(text.AsSpan());

    public void Write(ReadOnlySpan<char> text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max > _buf.Length - _len) MakeRoom(max);
        _len += Encoding.UTF8.GetBytes(text, _buf.AsSpan(_len));
    }

    public void Write(byte b)
    {
        if (_len == _buf.Length) MakeRoom(1);
        _buf[_len++] = b;
    }

    /// <summary>Room for <paramref name="needed"/> more bytes: what is buffered is written out first.</summary>
    private void MakeRoom(int needed)
    {
        Flush();
        if (_buf.Length - _len < needed) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + needed));
    }

    public void WriteNumber(long value, int width = 0)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out int n);
        for (int i = n; i < width; i++) Write((byte)' ');
        Write(digits[..n]);
    }

    /// <summary>0x and 16 lower-case hex digits.</summary>
    public void WriteHex64(ulong value)
    {
        Span<byte> digits = stackalloc byte[18];
        digits[0] = (byte)'0';
        digits[1] = (byte)'x';
        Utf8Formatter.TryFormat(value, digits[2..], out _, new StandardFormat('x', 16));
        Write(digits);
    }

    /// <summary>Seconds with six decimals, right-aligned in <paramref name="width"/>.</summary>
    public void WriteSeconds(long micros, int width)
    {
        Span<byte> digits = stackalloc byte[32];
        long whole = micros / 1_000_000, fraction = Math.Abs(micros % 1_000_000);
        int n = 0;
        if (micros < 0 && whole == 0) digits[n++] = (byte)'-';
        Utf8Formatter.TryFormat(whole, digits[n..], out int w);
        n += w;
        digits[n++] = (byte)'.';
        Utf8Formatter.TryFormat(fraction, digits[n..], out w, new StandardFormat('D', 6));
        n += w;
        for (int i = n; i < width; i++) Write((byte)' ');
        Write(digits[..n]);
    }

    public void Line() => Write((byte)'\n');

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buf.AsMemory(_len);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buf.AsSpan(_len);
    }

    public void Advance(int count) => _len += count;

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 256);
        if (_buf.Length - _len >= sizeHint) return;
        MakeRoom(sizeHint);
    }

    public void Flush()
    {
        if (_len == 0) return;
        if (_stream is not null) _stream.WriteBytes(_buf.AsSpan(0, _len));
        else _text!.Write(Encoding.UTF8.GetString(_buf, 0, _len));
        _len = 0;
    }

    public void Dispose()
    {
        Flush();
        if (_stream is not null) GuardedOutput.Guard(() => _stream.Bytes!.Flush());
        _text?.Flush();
    }
}
