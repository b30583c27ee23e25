using System.Buffers.Binary;

namespace P2psip.Capture;

/// <summary>
/// Reads a pcap or pcapng file one packet at a time, in constant memory: one reusable buffer holds
/// the current packet (at most <see cref="MaxPacketSize"/> bytes), so a capture of any size streams
/// through. No libpcap: the formats are small (pcap: libpcap's file format; pcapng: the section
/// header, interface description, enhanced, simple and obsolete packet blocks), and reading them
/// directly is what makes decoding a large capture fast. Every defect of the file is a
/// <see cref="CaptureFileException"/> with one line naming the file and what is wrong.
/// </summary>
public sealed class PcapFileReader : IDisposable
{
    /// <summary>Largest packet record accepted (libpcap's own limit for Ethernet is 256 KiB).</summary>
    public const int MaxPacketSize = 1 << 20;

    private const uint PcapMicros = 0xa1b2c3d4, PcapNanos = 0xa1b23c4d, PcapngSection = 0x0a0d0d0a, PcapngByteOrder = 0x1a2b3c4d;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private byte[] _buf = new byte[256 * 1024];
    private int _start, _end;
    private long _consumed; // file offset of _buf[_start]
    private bool _eof;

    // pcap
    private readonly bool _pcapng;
    private bool _bigEndian;
    private bool _nanos;
    private readonly int _pcapLinkType;
    // pcapng: per interface of the current section, its link type and timestamp units per second.
    private readonly List<(int LinkType, ulong UnitsPerSecond, uint SnapLength)> _interfaces = [];

    /// <exception cref="CaptureFileException">Missing, unreadable, empty or not a capture.</exception>
    public static PcapFileReader Open(string path)
    {
        if (Directory.Exists(path)) throw new CaptureFileException($"{path}: is a folder, not a capture file");
        if (!File.Exists(path)) throw new CaptureFileException($"{path}: no such file");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaptureFileException($"{path}: cannot read: {e.Message}", e);
        }
        try
        {
            return new PcapFileReader(stream, path, ownsStream: true);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads from <paramref name="stream"/>; <paramref name="name"/> names it in errors.</summary>
    public PcapFileReader(Stream stream, string name, bool ownsStream = false)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        Name = name;
        if (!Fill(4))
            throw new CaptureFileException(_end - _start == 0
                ? $"{name}: empty file, not a capture"
                : $"{name}: not a pcap or pcapng file ({_end - _start} bytes, shorter than any capture header)");
        uint magicLe = BinaryPrimitives.ReadUInt32LittleEndian(_buf.AsSpan(_start));
        uint magicBe = BinaryPrimitives.ReadUInt32BigEndian(_buf.AsSpan(_start));
        if (magicLe == PcapngSection)
        {
            _pcapng = true;
            Format = "pcapng";
            // The section header block is read like any other block; the first must be one.
            if (!Fill(12)) throw Truncated("the pcapng section header");
            uint byteOrder = BinaryPrimitives.ReadUInt32LittleEndian(_buf.AsSpan(_start + 8));
            if (byteOrder != PcapngByteOrder && BinaryPrimitives.ReverseEndianness(byteOrder) != PcapngByteOrder)
                throw new CaptureFileException($"{name}: not a pcapng file (section header byte-order magic 0x{byteOrder:x8})");
            return;
        }
        if (magicLe is PcapMicros or PcapNanos) { _bigEndian = false; _nanos = magicLe == PcapNanos; }
        else if (magicBe is PcapMicros or PcapNanos) { _bigEndian = true; _nanos = magicBe == PcapNanos; }
        else throw new CaptureFileException($"{name}: not a pcap or pcapng file (starts with {Convert.ToHexString(_buf, _start, 4).ToLowerInvariant()})");
        Format = "pcap";
        if (!Fill(24)) throw Truncated("the 24-byte pcap file header");
        _pcapLinkType = (int)(U32(_buf.AsSpan(_start + 20)) & 0x0fff_ffff);
        Advance(24);
    }

    public string Name { get; }

    /// <summary>"pcap" or "pcapng".</summary>
    public string Format { get; } = "";

    /// <summary>Packets read so far; the number of the last one (1-based, as Wireshark counts).</summary>
    public int PacketsRead { get; private set; }

    /// <summary>The time of the first packet (summary times are relative to it, as tshark's are).</summary>
    public long? FirstTimestampMicros { get; private set; }

    /// <summary>Bytes of the file held in memory: the read buffer's capacity.</summary>
    public int BufferCapacity => _buf.Length;

    /// <summary>
    /// Reads the next packet. Its data is valid until the next call. Returns false at the end of the file.
    /// </summary>
    /// <exception cref="CaptureFileException">The file is cut short or a record is impossible.</exception>
    public bool TryReadPacket(out CapturedPacket packet)
    {
        bool read = _pcapng ? TryReadBlock(out packet) : TryReadRecord(out packet);
        if (read) FirstTimestampMicros ??= packet.TimestampMicros;
        return read;
    }

    private bool TryReadRecord(out CapturedPacket packet)
    {
        packet = default;
        if (!Fill(16))
        {
            if (_end == _start) return false;
            throw Truncated($"the record header of frame {PacketsRead + 1}");
        }
        var header = _buf.AsSpan(_start, 16);
        uint seconds = U32(header), fraction = U32(header[4..]), included = U32(header[8..]), original = U32(header[12..]);
        if (included > MaxPacketSize)
            throw new CaptureFileException($"{Name}: frame {PacketsRead + 1} at byte {_consumed}: record says {included} bytes, more than the {MaxPacketSize} a packet may have (a damaged file?)");
        if (!Fill(16 + (int)included)) throw Truncated($"frame {PacketsRead + 1} (its record says {included} bytes)");
        long micros = seconds * 1_000_000L + (_nanos ? fraction / 1000 : fraction);
        PacketsRead++;
        packet = new CapturedPacket(PacketsRead, micros, _pcapLinkType, _buf.AsMemory(_start + 16, (int)included), (int)original);
        Advance(16 + (int)included);
        return true;
    }

    private bool TryReadBlock(out CapturedPacket packet)
    {
        packet = default;
        while (true)
        {
            if (!Fill(12))
            {
                if (_end == _start) return false;
                throw Truncated($"a pcapng block header after frame {PacketsRead}");
            }
            uint type = U32(_buf.AsSpan(_start));
            if (type == PcapngSection)
            {
                uint byteOrder = BinaryPrimitives.ReadUInt32LittleEndian(_buf.AsSpan(_start + 8));
                _bigEndian = byteOrder != PcapngByteOrder;
                _interfaces.Clear();
            }
            uint total = U32(_buf.AsSpan(_start + 4));
            if (total < 12 || total % 4 != 0 || total > MaxPacketSize + 64)
                throw new CaptureFileException($"{Name}: pcapng block at byte {_consumed} has an impossible length {total}");
            if (!Fill((int)total)) throw Truncated($"the pcapng block at byte {_consumed} (it says {total} bytes)");
            var block = _buf.AsSpan(_start, (int)total);
            var body = block[8..^4];
            switch (type)
            {
                case 1: // Interface Description Block
                    if (body.Length < 8) throw Damaged("interface description block");
                    _interfaces.Add((U16(body), UnitsPerSecond(body[8..]), U32(body[4..])));
                    break;
                case 6: // Enhanced Packet Block
                case 2: // Packet Block (obsolete)
                {
                    if (body.Length < 20) throw Damaged(type == 6 ? "enhanced packet block" : "packet block");
                    int iface = type == 6 ? (int)U32(body) : U16(body);
                    ulong ts = (ulong)U32(body[4..]) << 32 | U32(body[8..]);
                    int included = (int)U32(body[12..]), original = (int)U32(body[16..]);
                    if (included < 0 || included > body.Length - 20) throw Damaged("packet block (captured length beyond the block)");
                    packet = NewPacket(iface, ts, _start + 8 + 20, included, original);
                    Advance((int)total);
                    return true;
                }
                case 3: // Simple Packet Block: no timestamp, interface 0
                {
                    if (body.Length < 4) throw Damaged("simple packet block");
                    int original = (int)U32(body);
                    int included = Math.Min(original, body.Length - 4);
                    if (_interfaces.Count > 0 && _interfaces[0].SnapLength > 0) included = Math.Min(included, (int)_interfaces[0].SnapLength);
                    packet = NewPacket(0, 0, _start + 8 + 4, included, original);
                    Advance((int)total);
                    return true;
                }
            }
            Advance((int)total);
        }
    }

    private CapturedPacket NewPacket(int iface, ulong timestamp, int offset, int included, int original)
    {
        if (iface < 0 || iface >= _interfaces.Count)
            throw new CaptureFileException($"{Name}: frame {PacketsRead + 1} names interface {iface}, which the capture does not describe");
        var (linkType, unitsPerSecond, _) = _interfaces[iface];
        long micros = unitsPerSecond == 1_000_000 ? (long)timestamp
            : (long)(timestamp / unitsPerSecond * 1_000_000 + timestamp % unitsPerSecond * 1_000_000 / unitsPerSecond);
        PacketsRead++;
        return new CapturedPacket(PacketsRead, micros, linkType, _buf.AsMemory(offset, included), original);
    }

    /// <summary>The if_tsresol option (code 9) of an interface, as units per second (default 10^6).</summary>
    private ulong UnitsPerSecond(ReadOnlySpan<byte> options)
    {
        while (options.Length >= 4)
        {
            int code = U16(options), length = U16(options[2..]);
            if (code == 0 || options.Length < 4 + length) break;
            if (code == 9 && length >= 1)
            {
                byte v = options[4];
                int exponent = v & 0x7f;
                if ((v & 0x80) != 0) return exponent < 64 ? 1UL << exponent : 1_000_000;
                ulong units = 1;
                for (int i = 0; i < exponent && units <= ulong.MaxValue / 10; i++) units *= 10;
                return units;
            }
            options = options[Math.Min(options.Length, 4 + (length + 3) / 4 * 4)..];
        }
        return 1_000_000;
    }

    private uint U32(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
    private int U16(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private CaptureFileException Truncated(string what) =>
        new($"{Name}: capture is cut short in {what}, at byte {_consumed} of a {Describe(_consumed + (_end - _start))}-byte file");

    private CaptureFileException Damaged(string what) =>
        new($"{Name}: damaged pcapng {what} at byte {_consumed}");

    private static string Describe(long size) => size.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Makes <paramref name="count"/> bytes available from <c>_start</c>; false if the file ends first.</summary>
    private bool Fill(int count)
    {
        if (_end - _start >= count) return true;
        if (count > _buf.Length)
        {
            var bigger = new byte[Math.Max(count, _buf.Length * 2)];
            Buffer.BlockCopy(_buf, _start, bigger, 0, _end - _start);
            _end -= _start;
            _start = 0;
            _buf = bigger;
        }
        else if (_start + count > _buf.Length)
        {
            Buffer.BlockCopy(_buf, _start, _buf, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < count && !_eof)
        {
            int read;
            try
            {
                read = _stream.Read(_buf, _end, _buf.Length - _end);
            }
            catch (IOException e)
            {
                throw new CaptureFileException($"{Name}: cannot read at byte {_consumed + (_end - _start)}: {e.Message}", e);
            }
            if (read == 0) _eof = true;
            _end += read;
        }
        return _end - _start >= count;
    }

    private void Advance(int count)
    {
        _start += count;
        _consumed += count;
    }

    public void Dispose()
    {
        if (_ownsStream) _stream.Dispose();
    }
}
