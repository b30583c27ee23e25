namespace P2psip.Capture;

/// <summary>
/// A capture file that cannot be read or written: missing, not a pcap/pcapng file, truncated, an
/// unsupported link type, or libpcap not installed. The message is one line naming the file.
/// </summary>
public sealed class CaptureFileException(string message, Exception? inner = null) : Exception(message, inner);
