using P2psip.Fuzz.Targets;
using P2psip.Messages;

namespace P2psip.Fuzz;

/// <summary>
/// How deep inputs get into the reference peer: each input is run on a fresh ring, and the report
/// counts why peers dropped messages, how many requests reached the storage engine, and what came
/// back to the harness peer. For judging a peer campaign's queue (e.g. sync/main/queue/*).
/// </summary>
public static class PeerDepthReport
{
    public static void Write(PeerTarget prototype, IEnumerable<string> files, TextWriter output)
    {
        var drops = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var answers = new SortedDictionary<string, long>(StringComparer.Ordinal);
        int inputs = 0, reachedStorage = 0;
        foreach (var file in files)
        {
            var target = new PeerTarget(prototype.Resign);
            target.Run(ReadOnlyMemory<byte>.Empty); // builds the ring; an empty input changes nothing
            var ring = target.Ring!;
            var before = ring.Peers.Select(p => (Drops: p.Peer.Transport.Drops.ToDictionary(), p.Storage.Requests)).ToList();
            target.Run(File.ReadAllBytes(file));
            if (!ReferenceEquals(ring, target.Ring)) throw new InvalidOperationException("the ring was rebuilt after an empty input");
            inputs++;
            bool storage = false;
            for (int i = 0; i < ring.Peers.Count; i++)
            {
                var (peer, handler) = ring.Peers[i];
                foreach (var (reason, n) in peer.Transport.Drops)
                {
                    long delta = n - before[i].Drops.GetValueOrDefault(reason);
                    if (delta > 0) drops[reason] = drops.GetValueOrDefault(reason) + delta;
                    // The transport's safety net caught an exception: worth a look, name the input.
                    if (delta > 0 && reason.StartsWith("could not process", StringComparison.Ordinal)) output.WriteLine($"{reason}: {file}");
                }
                storage |= handler.Requests > before[i].Requests;
            }
            if (storage) reachedStorage++;
            foreach (var bytes in ring.Received)
            {
                var decoded = ReloadCodec.Decode(bytes);
                string name = !decoded.IsSuccess ? "(undecodable)"
                    : decoded.Value.Body is ErrorResponse e ? ErrorCodes.NameOf(e.ErrorCode) ?? $"error {e.ErrorCode}"
                    : MessageCodes.NameOf(decoded.Value.MessageCode) ?? $"code {decoded.Value.MessageCode}";
                answers[name] = answers.GetValueOrDefault(name) + 1;
            }
        }
        output.WriteLine($"inputs {inputs}; reached the storage engine: {reachedStorage}");
        output.WriteLine("drops: " + string.Join(", ", drops.Select(d => $"{d.Key}={d.Value}")));
        output.WriteLine("back to the harness: " + string.Join(", ", answers.Select(a => $"{a.Key}={a.Value}")));
    }
}
