namespace P2psip.Peer.Storage;

/// <summary>What an engine holds: resources, values and accounted bytes (for reports and the memory bound, TR-5).</summary>
public sealed record StorageUsage(int Resources, int Values, long Bytes)
{
    public override string ToString() => $"{Values} values at {Resources} resources, {Bytes} accounted bytes";
}
