namespace P2psip.Peer.Storage;

/// <summary>
/// The engine's own bounds, beside the per-Kind limits of the configuration (TR-5, issue 4
/// "memory per peer stays bounded"). The totals are a hard cap that holds even with every
/// defence switched off, so a flood cannot exhaust the harness's memory; the per-storer quota is
/// part of the <c>quotas</c> defence and keeps one flooding user from crowding honest users out.
/// </summary>
public sealed record StorageLimits
{
    /// <summary>Accounted bytes of all stored values together (values, keys, signatures and a fixed overhead each).</summary>
    public long MaxTotalBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Stored values of all resources and Kinds together.</summary>
    public int MaxTotalValues { get; init; } = 200_000;

    /// <summary>Values one storer (user name, else Node-ID) may hold through original stores.</summary>
    public int MaxValuesPerStorer { get; init; } = 10_000;

    /// <summary>Accounted bytes one storer may hold through original stores.</summary>
    public long MaxBytesPerStorer { get; init; } = 8L * 1024 * 1024;

    /// <summary>Synthetic "nonexistent" array elements one Fetch or Stat may produce for gaps (§7.2.2), so a sparse array cannot blow up an answer.</summary>
    public int MaxSyntheticValuesPerAnswer { get; init; } = 1_000;

    /// <summary>
    /// What every accounted value costs on top of its bytes: the entry records and, in the worst case of
    /// one value per resource, the resource's dictionaries. 1 KiB matches the managed heap measured
    /// under a flood of single values at distinct resources (about 1.1 KiB per value of 200 bytes).
    /// </summary>
    public int OverheadPerValue { get; init; } = 1024;

    public static StorageLimits Default { get; } = new();
}
