using System.CommandLine;
using P2psip.Messages;
using P2psip.Messages.Storage;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip sip register --aor USER@OVERLAY --contact URI</c> and <c>p2psip sip lookup --aor USER@OVERLAY</c>
/// (the SIP usage, Kind SIP-REGISTRATION). Each joins the overlay as a short-lived peer through
/// --bootstrap (listening on a free port of 127.0.0.1), sends its one request, and leaves (§10.9:
/// what it became responsible for is handed back). Lookup exits 0 and prints the contacts when some
/// are registered, 1 when none are.
/// </summary>
internal static class SipCommand
{
    public static Command Create()
    {
        var command = new Command("sip", "Register and look up SIP AORs in the overlay (the SIP usage)");
        command.Subcommands.Add(Register());
        command.Subcommands.Add(Lookup());
        return command;
    }

    private static Option<string> Aor() => new("--aor") { Description = "The AOR, USER@OVERLAY (\"sip:\" is added)", Required = true };

    private static Option<string> Listen() => new("--listen") { Description = "IP:PORT this short-lived peer listens on", DefaultValueFactory = _ => "127.0.0.1:0" };

    private static Command Register()
    {
        var live = new LiveOptions();
        var aor = Aor();
        var listen = Listen();
        var contact = new Option<string>("--contact") { Description = "The contact URI to register (sip_registration_uri)", Required = true };
        var lifetime = new Option<uint>("--lifetime") { Description = "Seconds the registration lasts", DefaultValueFactory = _ => 3600 };
        var command = new Command("register", "Register a contact URI for an AOR under this identity's Node-ID (USER-NODE-MATCH)");
        live.AddTo(command);
        foreach (var o in new Option[] { aor, contact, lifetime, listen }) command.Options.Add(o);
        command.SetAction(async parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var output = parse.InvocationConfiguration.Output;
            var wait = live.Wait(parse, "sip register");
            // Checked before joining: a contact the StoreReq cannot carry, or a registration that expires at once.
            var contactUri = parse.GetValue(contact)!;
            if (ProblemWithContact(contactUri) is { } problem) throw new CliError($"--contact: {problem}");
            if (parse.GetValue(lifetime) == 0) throw new CliError("--lifetime 0 would expire the registration at once (§7.4.1: lifetime in seconds); give at least 1");
            var options = live.Read(parse, parse.GetValue(listen)!, needBootstrap: true, LiveOptions.DiagnosticLog(parse, line => error.WriteLine($"p2psip sip: {line}")));
            var peer = LiveOptions.Create(options);
            await LiveOptions.StartAsync(peer, wait);
            try
            {
                var name = P2psip.Peer.Storage.SipUsage.AorOf(parse.GetValue(aor)!);
                var outcome = await wait.RunAsync($"the answer to the Store of {name}", _ => peer.RegisterAsync(parse.GetValue(aor)!, contactUri, parse.GetValue(lifetime)));
                if (outcome.Body is not StoreAns)
                    throw new CliError($"register {P2psip.Peer.Storage.SipUsage.AorOf(parse.GetValue(aor)!)}: {outcome}", ExitCodes.Failed);
                output.WriteLine($"registered {parse.GetValue(contact)} for {P2psip.Peer.Storage.SipUsage.AorOf(parse.GetValue(aor)!)} under Node-ID {peer.NodeId.ToHex()} at peer {outcome.Responder.ToHex()}");
                return ExitCodes.Ok;
            }
            finally
            {
                await Leave(peer);
            }
        });
        return command;
    }

    private static Command Lookup()
    {
        var live = new LiveOptions();
        var aor = Aor();
        var listen = Listen();
        var command = new Command("lookup", "Look up the contacts registered for an AOR (exit 1 when there are none)");
        live.AddTo(command);
        command.Options.Add(aor);
        command.Options.Add(listen);
        command.SetAction(async parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var output = parse.InvocationConfiguration.Output;
            var wait = live.Wait(parse, "sip lookup");
            var options = live.Read(parse, parse.GetValue(listen)!, needBootstrap: true, LiveOptions.DiagnosticLog(parse, line => error.WriteLine($"p2psip sip: {line}")));
            var peer = LiveOptions.Create(options);
            await LiveOptions.StartAsync(peer, wait);
            try
            {
                var name = P2psip.Peer.Storage.SipUsage.AorOf(parse.GetValue(aor)!);
                var (contacts, outcome) = await wait.RunAsync($"the answer to the Fetch of {name}", _ => peer.LookupAsync(name));
                if (contacts.Count == 0 && outcome.Responder == peer.NodeId && peer.Peer.Snapshot().Successors is [var successor, ..])
                {
                    // Just joined and answering itself: the values of its new range may not have been handed
                    // over yet (§10.5 step 6), but its successor, responsible until now, still holds them.
                    var fetched = await wait.RunAsync($"the answer to the Fetch of {name} from the successor", _ => peer.Peer.SendAsync(new NodeDestination(successor), P2psip.Peer.Storage.SipUsage.Lookup(name)));
                    outcome = fetched;
                    contacts = fetched.Body is FetchAns answer ? P2psip.Peer.Storage.SipUsage.ContactsIn(answer, name) : [];
                }
                if (outcome.IsError) throw new CliError($"lookup {name}: {outcome}", ExitCodes.Failed);
                if (contacts.Count == 0)
                {
                    error.WriteLine($"p2psip sip: no contact registered for {name}");
                    return ExitCodes.Failed;
                }
                foreach (var c in contacts) output.WriteLine(c.Uri ?? c.Registration.ToString());
                return ExitCodes.Ok;
            }
            finally
            {
                await Leave(peer);
            }
        });
        return command;
    }

    /// <summary>Largest sip_registration_uri: an opaque with a 16-bit length (RFC 7904 §3.1).</summary>
    public const int MaxContactBytes = ushort.MaxValue;

    /// <summary>Why <paramref name="contact"/> cannot be registered, or null: it must be an absolute URI (e.g. sip:alice@192.0.2.1) that fits its 16-bit length.</summary>
    internal static string? ProblemWithContact(string contact)
    {
        if (contact.Length == 0) return "must not be empty; give a URI such as sip:alice@192.0.2.1:5060";
        int bytes = System.Text.Encoding.UTF8.GetByteCount(contact);
        if (bytes > MaxContactBytes) return $"is {bytes} bytes; a sip_registration_uri holds at most {MaxContactBytes} (RFC 7904 §3.1)";
        if (!Uri.TryCreate(contact, UriKind.Absolute, out var uri) || uri.Scheme.Length == 0 || contact.Any(char.IsWhiteSpace))
            return $"\"{(contact.Length > 60 ? contact[..57] + "..." : contact)}\" is not a URI; give one such as sip:alice@192.0.2.1:5060";
        return null;
    }

    private static async Task Leave(P2psip.Peer.Live.LivePeer peer)
    {
        try { await peer.LeaveAsync(TimeSpan.FromSeconds(15)); }
        catch (TimeoutException) { peer.Crash(); }
    }
}
