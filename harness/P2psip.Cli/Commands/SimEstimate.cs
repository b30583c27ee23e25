using System.Globalization;

namespace P2psip.Cli.Commands;

/// <summary>
/// What a simulated ring of N peers will cost, said before it starts: build time grows about as
/// N log N (each join walks the ring), memory as N. The constants are what `p2psip sim` measured on
/// the development machine (2 cores, Release, 2026-12-02): 10,000 peers built in 20 s of CPU and
/// 100,000 in 361 s, at 37 and 31 KB of peak resident memory per peer; with --signatures (an older
/// figure), 300 peers in 22 s and 26 KB per peer. An estimate, printed as "about"; the report has
/// the real figures.
/// </summary>
internal readonly record struct SimEstimate(TimeSpan Build, long Bytes)
{
    private const double MillisecondsPerPeer = 0.2, SignedMillisecondsPerPeer = 9.0;
    private const long BytesPerPeer = 30 * 1024, SignedBytesPerPeer = 28 * 1024, BaseBytes = 80L * 1024 * 1024;

    /// <summary>
    /// The bulk join (<c>--bulk-join</c>) does a fixed amount per peer: 10,000 unsigned peers were
    /// placed, linked and settled in 4.9 s (load 7), 0.5 ms each; 300 signed peers (key pairs, certificates, signed Updates) in 4.8 s (load 18).
    /// </summary>
    private const double BulkMillisecondsPerPeer = 0.5, SignedBulkMillisecondsPerPeer = 12.0;

    public static SimEstimate For(int peers, bool signatures, bool bulkJoin = false)
    {
        double log = Math.Max(1, Math.Log2(peers));
        double ms = bulkJoin
            ? peers * (signatures ? SignedBulkMillisecondsPerPeer : BulkMillisecondsPerPeer)
            : peers * log * (signatures ? SignedMillisecondsPerPeer : MillisecondsPerPeer);
        return new SimEstimate(TimeSpan.FromMilliseconds(ms), BaseBytes + peers * (signatures ? SignedBytesPerPeer : BytesPerPeer));
    }

    /// <summary>What this process may use: the GC's limit (container or machine memory).</summary>
    public static long AvailableBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public override string ToString() => $"about {Duration(Build)} to build and {Megabytes(Bytes)} of memory";

    public static string Duration(TimeSpan t) =>
        t.TotalSeconds < 90 ? $"{t.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s"
        : t.TotalMinutes < 90 ? $"{t.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} min"
        : $"{t.TotalHours.ToString("0.0", CultureInfo.InvariantCulture)} h";

    public static string Megabytes(long bytes) => $"{(bytes / (1024.0 * 1024)).ToString("#,0", CultureInfo.InvariantCulture)} MB";
}
