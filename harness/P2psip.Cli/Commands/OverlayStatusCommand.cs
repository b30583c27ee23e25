using System.Collections.Concurrent;
using System.CommandLine;
using P2psip.Links;
using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Topology;
using P2psip.Peer.Chord;
using P2psip.Wire;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip overlay status --overlay ... --identity DIR --bootstrap HOST:PORT</c>: the ring as the peers
/// report it. Joins as a short-lived peer, then asks each peer it learns of for a RouteQuery with
/// send_update (§10.8), which makes that peer send this one a full Update (§10.7.1) listing its
/// predecessors, successors and fingers; the Updates are read off the links, and Probe (§6.4.2.5)
/// adds each peer's resource count and uptime. The status peer itself is shown marked, as it is in
/// the ring while it looks.
/// </summary>
internal static class OverlayStatusCommand
{
    public static Command Create()
    {
        var live = new LiveOptions();
        var listen = new Option<string>("--listen") { Description = "IP:PORT this short-lived peer listens on", DefaultValueFactory = _ => "127.0.0.1:0" };
        var command = new Command("status", "Print the ring as its peers report it (Node-IDs, predecessors, successors, fingers)");
        live.AddTo(command);
        command.Options.Add(listen);
        command.SetAction(async parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var wait = live.Wait(parse, "overlay status");
            var options = live.Read(parse, parse.GetValue(listen)!, needBootstrap: true, LiveOptions.DiagnosticLog(parse, line => error.WriteLine($"p2psip overlay status: {line}")));
            var peer = LiveOptions.Create(options);
            var reports = new ConcurrentDictionary<Opaque, FullUpdate>();
            var decode = new DecodeOptions { NodeIdLength = options.Configuration.NodeIdLength };
            var learn = peer.Links.LinkOpened;
            peer.Links.LinkOpened = link =>
            {
                learn?.Invoke(link);
                link.Link.Tap = (direction, bytes) =>
                {
                    if (direction == LinkDirection.Inbound && ReloadCodec.DecodeCopy(bytes, decode) is { IsSuccess: true, Value: { Body: UpdateReq { Update: FullUpdate full } } message })
                        reports[message.Header.ViaList.FirstOrDefault() is NodeDestination via ? via.NodeId : link.RemoteNodeId] = full;
                    return bytes;
                };
            };
            await LiveOptions.StartAsync(peer, wait);
            try
            {
                var asked = new HashSet<Opaque> { peer.NodeId };
                var pending = new Queue<Opaque>(peer.Peer.Snapshot() is var own ? own.Predecessors.Concat(own.Successors).Concat(own.Fingers) : []);
                var probes = new Dictionary<Opaque, string>();
                for (int round = 0; round < 8 && pending.Count > 0; round++)
                {
                    var batch = new List<Opaque>();
                    while (pending.TryDequeue(out var id)) if (asked.Add(id)) batch.Add(id);
                    await Task.WhenAll(batch.Select(async id =>
                    {
                        try
                        {
                            await peer.Peer.RouteQueryAsync(id, new NodeDestination(id), sendUpdate: true).WaitAsync(wait.Deadline);
                            var probe = await peer.Peer.ProbeAsync(id).WaitAsync(wait.Deadline);
                            lock (probes) probes[id] = probe.Body is ProbeAns answer ? Describe(answer) : probe.ToString();
                        }
                        catch (TimeoutException)
                        {
                            // One silent peer does not stop the survey: it is shown as silent.
                            lock (probes) probes[id] = $"(no answer to RouteQuery/Probe within {wait.Deadline.TotalSeconds} s)";
                        }
                    }));
                    await Task.Delay(500); // the Updates follow the RouteQuery answers
                    foreach (var full in reports.Values)
                        foreach (var id in full.Predecessors.Concat(full.Successors).Concat(full.Fingers))
                            if (!asked.Contains(id)) pending.Enqueue(id);
                }
                var self = peer.Peer.Snapshot();
                var all = reports.Keys.Append(peer.NodeId).Distinct().OrderBy(id => RingId.From(id)).ToList();
                output.WriteLine($"overlay {options.Configuration.InstanceName}: {all.Count} peers reporting (including this status peer)");
                foreach (var id in all)
                {
                    if (id == peer.NodeId)
                    {
                        output.WriteLine($"{id.ToHex()} (this status peer)");
                        Lists(output, self.Predecessors, self.Successors, self.Fingers);
                        continue;
                    }
                    var full = reports[id];
                    output.WriteLine($"{id.ToHex()} uptime {full.Uptime}s {(probes.TryGetValue(id, out var p) ? p : "")}");
                    Lists(output, full.Predecessors, full.Successors, full.Fingers);
                }
                return all.Count > 1 ? ExitCodes.Ok : ExitCodes.Failed;
            }
            finally
            {
                try { await peer.LeaveAsync(TimeSpan.FromSeconds(15)); }
                catch (TimeoutException) { peer.Crash(); }
            }
        });
        return command;
    }

    private static void Lists(TextWriter output, IEnumerable<Opaque> predecessors, IEnumerable<Opaque> successors, IEnumerable<Opaque> fingers)
    {
        output.WriteLine($"  predecessors: {string.Join(" ", predecessors.Select(p => p.ToHex()))}");
        output.WriteLine($"  successors:   {string.Join(" ", successors.Select(p => p.ToHex()))}");
        output.WriteLine($"  fingers:      {string.Join(" ", fingers.Select(p => p.ToHex()))}");
    }

    private static string Describe(ProbeAns answer) => string.Join(", ", answer.ProbeInfo.Select(info => info switch
    {
        NumResourcesInformation n => $"{n.NumResources} resources",
        ResponsibleSetInformation r => $"responsible for {r.ResponsiblePpb / 1e7:F1}% of the ring",
        _ => "",
    }).Where(s => s.Length > 0));
}
