using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace P2psip.Benchmarks;

/// <summary>
/// The runtime's allocation samples (GCAllocationTick, one about every 100 KB allocated) summed by
/// type: which types a run allocates most of, for <c>sim --allocations</c>.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick at verbose level
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        int type = e.PayloadNames!.IndexOf("TypeName"), amount = e.PayloadNames.IndexOf("AllocationAmount64");
        if (type < 0 || amount < 0) return;
        _bytes.AddOrUpdate((string)e.Payload[type]!, (long)(ulong)e.Payload[amount]!, (_, b) => b + (long)(ulong)e.Payload[amount]!);
    }

    public IEnumerable<(string Type, long Bytes)> Top(int n) =>
        _bytes.OrderByDescending(kv => kv.Value).Take(n).Select(kv => (kv.Key, kv.Value));
}
