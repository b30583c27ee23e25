using System.Net;
using SharpPcap;
using SharpPcap.LibPcap;

namespace P2psip.Capture;

/// <summary>
/// Live capture of the real wire with SharpPcap (libpcap) on a named interface, loopback included,
/// filtered to one SUT's address and port, written to a pcap file as it arrives: what a vendor's peer
/// really sent, encrypted. With a key log of the harness's TLS and DTLS sessions (<c>--keylog</c>),
/// Wireshark and tshark decrypt it and decode the RELOAD inside. Capturing needs rights (root, or
/// CAP_NET_RAW on the program); <see cref="TryStart"/> says in one line why it cannot, and the run
/// goes on without it.
/// </summary>
public sealed class WireCapture : IDisposable
{
    private readonly LibPcapLiveDevice _device;
    private readonly CaptureFileWriterDevice _writer;
    private readonly Lock _lock = new();
    private bool _stopped;

    private WireCapture(LibPcapLiveDevice device, CaptureFileWriterDevice writer, string path, string filter)
    {
        _device = device;
        _writer = writer;
        Path = path;
        Filter = filter;
    }

    public string Path { get; }

    /// <summary>The BPF filter in use, e.g. <c>host 127.0.0.1 and port 6084</c>.</summary>
    public string Filter { get; }

    public long Packets => Interlocked.Read(ref _packets);
    private long _packets;

    /// <summary>The BPF filter for one SUT: its address and port, TCP and UDP alike.</summary>
    public static string FilterFor(IPEndPoint sut) => $"host {sut.Address} and port {sut.Port}";

    /// <summary>
    /// Starts capturing on <paramref name="interfaceName"/> into <paramref name="path"/>, or returns
    /// null with <paramref name="why"/>: no such interface, no libpcap, no capture rights, a file that
    /// cannot be written.
    /// </summary>
    public static WireCapture? TryStart(string interfaceName, IPEndPoint sut, string path, out string why)
    {
        LibPcapLiveDevice? device;
        try
        {
            device = LibPcapLiveDeviceList.New().FirstOrDefault(d => d.Name == interfaceName);
        }
        catch (Exception e) when (e is DllNotFoundException or PcapException or TypeInitializationException)
        {
            why = $"no wire capture: libpcap is not available ({e.Message})";
            return null;
        }
        if (device is null)
        {
            why = $"no wire capture: no interface '{interfaceName}' (libpcap lists {string.Join(", ", SafeNames())})";
            return null;
        }
        string filter = FilterFor(sut);
        try
        {
            device.Open(new DeviceConfiguration { Mode = DeviceModes.None, ReadTimeout = 100, Snaplen = 262144 });
            device.Filter = filter;
        }
        catch (Exception e) when (e is PcapException or InvalidOperationException or DeviceNotReadyException)
        {
            device.Dispose();
            why = $"no wire capture on {interfaceName}: {OneLine(e.Message)} (capturing needs root or CAP_NET_RAW)";
            return null;
        }
        CaptureFileWriterDevice writer;
        try
        {
            writer = new CaptureFileWriterDevice(path, FileMode.Create);
            writer.Open(new DeviceConfiguration { LinkLayerType = device.LinkType, Snaplen = 262144 });
        }
        catch (Exception e) when (e is PcapException or IOException or UnauthorizedAccessException)
        {
            device.Close();
            device.Dispose();
            why = $"no wire capture: {path}: {OneLine(e.Message)}";
            return null;
        }
        var capture = new WireCapture(device, writer, path, filter);
        device.OnPacketArrival += capture.Arrived;
        device.StartCapture();
        why = "";
        return capture;
    }

    private void Arrived(object sender, PacketCapture e)
    {
        lock (_lock)
        {
            if (_stopped) return;
            var raw = e.GetPacket();
            _writer.Write(raw);
            _packets++;
        }
    }

    private static IEnumerable<string> SafeNames()
    {
        try { return LibPcapLiveDeviceList.New().Select(d => d.Name).ToList(); }
        catch (Exception e) when (e is PcapException or DllNotFoundException) { return []; }
    }

    private static string OneLine(string text) => text.Replace('\n', ' ').Replace("\r", "").Trim();

    /// <summary>Stops capturing and closes the file (what was captured is in it).</summary>
    public void Dispose()
    {
        try { _device.StopCapture(); }
        catch (PcapException) { }
        lock (_lock)
        {
            if (_stopped) return;
            _stopped = true;
            _device.Close();
            _device.Dispose();
            _writer.Close();
            _writer.Dispose();
        }
    }
}
