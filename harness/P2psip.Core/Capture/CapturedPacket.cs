namespace P2psip.Capture;

/// <summary>
/// One packet record of a capture file: its 1-based number (Wireshark's frame number), its time in
/// microseconds since the Unix epoch, the link type of its interface (LINKTYPE_* values) and the bytes
/// captured. <see cref="Data"/> is a slice of the reader's buffer, valid until the next packet is read.
/// </summary>
public readonly record struct CapturedPacket(int Number, long TimestampMicros, int LinkType, ReadOnlyMemory<byte> Data, int OriginalLength);
