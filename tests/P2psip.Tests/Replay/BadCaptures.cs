namespace P2psip.Tests.Replay;

/// <summary>The bad inputs every verb that reads a capture refuses in one line: empty, not a pcap, truncated, no request, missing.</summary>
internal static class BadCaptures
{
    public static TheoryData<string> Kinds => new("empty", "not-pcap", "truncated", "no-requests", "missing");

    /// <summary>Writes the bad capture <paramref name="kind"/> at <paramref name="path"/> ("missing" writes nothing).</summary>
    public static void Write(string kind, string path)
    {
        switch (kind)
        {
            case "empty": File.WriteAllBytes(path, []); break;
            case "not-pcap": File.WriteAllText(path, "this is a text file, not a capture\n"); break;
            case "truncated":
                // A valid header and the first half of a packet record.
                var header = new byte[24 + 10];
                BitConverter.GetBytes(0xa1b2c3d4u).CopyTo(header, 0);
                BitConverter.GetBytes((ushort)2).CopyTo(header, 4);
                BitConverter.GetBytes((ushort)4).CopyTo(header, 6);
                BitConverter.GetBytes(65535u).CopyTo(header, 16);
                BitConverter.GetBytes(1u).CopyTo(header, 20);
                File.WriteAllBytes(path, header);
                break;
            case "no-requests":
                using (new P2psip.Capture.PcapStreamWriter(File.Create(path), ownsStream: true)) { }
                break;
        }
    }
}
