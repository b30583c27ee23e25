using P2psip.Cli.Files;

namespace P2psip.Tests.Cli;

/// <summary>
/// Every verb over the bad inputs a user meets (issue 14): the exit status (0 ok, 1 finding, 2 usage
/// or input error), exactly one line, no stack trace and no .NET type name, nothing changed on disk
/// that should not be, and no temporary or half-written file left.
/// </summary>
public class BadInputMatrixTests
{
    private const string Good = "good.bin";

    private static IEnumerable<BadInputCase> Decode() =>
    [
        new("decode missing", ["decode", "missing.bin"], 2, "missing.bin: no such file"),
        new("decode empty", ["decode", "empty.bin"], 1, "empty.bin: invalid", OneLineOn.Output),
        new("decode directory", ["decode", "folder"], 2, "folder: cannot read: is a directory"),
        new("decode /dev/zero", ["decode", "/dev/zero"], 1, "/dev/zero: invalid: forwarding_header.relo_token at offset 0", OneLineOn.Output),
        new("decode /dev/null", ["decode", "/dev/null"], 1, "/dev/null: invalid", OneLineOn.Output),
        new("decode /proc/version", ["decode", "/proc/version"], 1, "/proc/version: invalid: forwarding_header.relo_token at offset 0", OneLineOn.Output),
        new("decode symlink", ["decode", "link.bin"], 0, Line: OneLineOn.Nowhere),
        new("decode dangling symlink", ["decode", "dangling.bin"], 2, "dangling.bin: no such file"),
        new("decode huge", ["decode", "huge.bin"], 1, "huge.bin: invalid: forwarding_header.relo_token at offset 0", OneLineOn.Output),
        new("decode declares huge", ["decode", "declares-huge.bin"], 2, "more than --max-message-size 16777215"),
        new("decode over --max-message-size", ["decode", "--max-message-size", "10", Good], 2, "more than --max-message-size 10"),
        new("decode --max-message-size 0", ["decode", "--max-message-size", "0", Good], 2, "--max-message-size must be at least 1"),
        new("decode truncated", ["decode", "truncated.bin"], 1, "truncated.bin: invalid", OneLineOn.Output),
        new("decode wrong format", ["decode", "text.txt"], 1, "text.txt: invalid", OneLineOn.Output),
        new("decode unknown option", ["decode", "--frobnicate"], 2, "--frobnicate: unknown option"),
        new("decode no input", ["decode"], 2, "give message files"),
        new("decode --hex not hex", ["decode", "--hex", "xyz"], 2, "--hex: not hexadecimal"),
        new("decode --port not a number", ["decode", "--pcap", "x.pcap", "--port", "abc"], 2, "as an integer"),
    ];

    private static IEnumerable<BadInputCase> PcapWrite() =>
    [
        new("pcap write missing input", ["pcap", "write", "--out", "out.pcap", "missing.bin"], 2, "missing.bin: no such file"),
        new("pcap write directory input", ["pcap", "write", "--out", "out.pcap", "folder"], 2, "folder: cannot read: is a directory"),
        new("pcap write declares huge", ["pcap", "write", "--out", "out.pcap", "declares-huge.bin"], 2, "more than --max-message-size"),
        new("pcap write huge", ["pcap", "write", "--out", "out.pcap", "huge.bin"], 1, "huge.bin: invalid"),
        new("pcap write wrong format", ["pcap", "write", "--out", "out.pcap", "text.txt"], 1, "out.pcap not written"),
        new("pcap write truncated", ["pcap", "write", "--out", "out.pcap", Good, "truncated.bin"], 1, "truncated.bin: invalid"),
        new("pcap write /dev/full", ["pcap", "write", "--out", "/dev/full", Good], 2, "/dev/full: cannot write: no space left on device"),
        new("pcap write out is the input", ["pcap", "write", "--out", Good, Good], 2, "good.bin: is also an input"),
        new("pcap write out is a link to the input", ["pcap", "write", "--out", "link.bin", Good], 2, "link.bin: is also an input"),
        new("pcap write out is a directory", ["pcap", "write", "--out", "folder", Good], 2, "folder: cannot write: is a directory"),
        new("pcap write out in a missing folder", ["pcap", "write", "--out", "nowhere/out.pcap", Good], 2, "no such directory"),
        new("pcap write through a dangling link", ["pcap", "write", "--out", "dangling.bin", Good], 0, Line: OneLineOn.Output, MayCreate: ["nowhere.bin"]),
        new("pcap write /dev/null", ["pcap", "write", "--out", "/dev/null", Good], 0, "to /dev/null", OneLineOn.Output),
        new("pcap write without --out", ["pcap", "write", Good], 2, "--out"),
    ];

    private static IEnumerable<BadInputCase> Corpus() =>
    [
        new("corpus write into a file", ["corpus", "write", Good], 2, "good.bin: cannot create the folder: is a file"),
        new("corpus write with a name blocked", ["corpus", "write", "blocked"], 2, "ping_req.bin: cannot write: is a directory"),
        new("corpus write into a device", ["corpus", "write", "/dev/full"], 2, "/dev/full: cannot create the folder: is a character device"),
    ];

    private static IEnumerable<BadInputCase> Demo() =>
    [
        new("demo into a file", ["demo", "--out", Good], 2, "good.bin: cannot create the folder"),
        new("demo with its report blocked", ["demo", "--out", "demo-blocked"], 2, "report.txt: cannot write: is a directory"),
    ];

    private static IEnumerable<BadInputCase> Overlay() =>
    [
        new("overlay init comma", ["overlay", "init", "--name", "a,b", "--dir", "new"], 2, "overlay name \"a,b\""),
        new("overlay init quote", ["overlay", "init", "--name", "a\"b", "--dir", "new"], 2, "a DNS name"),
        new("overlay init plus backslash", ["overlay", "init", "--name", "a+b\\c", "--dir", "new"], 2, "a DNS name"),
        new("overlay init too long", ["overlay", "init", "--name", string.Join('.', Enumerable.Repeat(new string('x', 63), 4)), "--dir", "new"], 2, "1 to 253 characters"),
        new("overlay init long name", ["overlay", "init", "--name", new string('x', 60) + ".example.org", "--dir", "new"], 0, "created overlay", OneLineOn.Output,
            ["new", "new/ca-key.pem", "new/ca-cert.pem", "new/overlay.xml", "new/users.json"]),
        new("overlay init dir is a file", ["overlay", "init", "--name", "x.test", "--dir", Good], 2, "--dir good.bin: is a file, not a folder"),
        new("overlay init already a CA", ["overlay", "init", "--name", "x.test", "--dir", "ovl"], 2, "already holds an overlay CA"),
        new("overlay init cap 0", ["overlay", "init", "--name", "x.test", "--dir", "new", "--max-nodes-per-user", "0"], 2, "at least 1"),
        new("overlay init cap not a number", ["overlay", "init", "--name", "x.test", "--dir", "new", "--max-nodes-per-user", "many"], 2, "as an integer"),
        new("overlay add-user missing dir", ["overlay", "add-user", "--dir", "missing", "--user", "a@bad.test", "--password", "pw"], 2, "missing: no such folder"),
        new("overlay add-user not an overlay", ["overlay", "add-user", "--dir", "folder", "--user", "a@bad.test", "--password", "pw"], 2, "not an overlay directory"),
        new("overlay add-user corrupt users", ["overlay", "add-user", "--dir", "ovl-corrupt", "--user", "a@bad.test", "--password", "pw"], 2, "not a user list"),
        new("overlay add-user empty password", ["overlay", "add-user", "--dir", "ovl", "--user", "b@bad.test", "--password", ""], 2, "password must not be empty"),
        new("overlay add-user bad name", ["overlay", "add-user", "--dir", "ovl", "--user", "b c", "--password", "pw"], 2, "printable ASCII"),
        new("overlay status unreachable", ["overlay", "status", "--overlay", "ovl", "--identity", "id", "--bootstrap", "127.0.0.1:{unreachable}"], 2, "cannot reach the bootstrap peer"),
        new("overlay status silent", ["overlay", "status", "--overlay", "ovl", "--identity", "id", "--bootstrap", "127.0.0.1:{silent}", "--timeout", "1"], 2, "timed out after 1 s waiting for a link to the bootstrap peer"),
    ];

    private static IEnumerable<BadInputCase> Enroll() =>
    [
        new("enroll serve missing dir", ["enroll", "serve", "--dir", "missing", "--listen", "127.0.0.1:0"], 2, "missing: no such folder"),
        new("enroll serve no root-cert", ["enroll", "serve", "--dir", "ovl-noroot", "--listen", "127.0.0.1:0"], 2, "no root-cert"),
        new("enroll serve CA key mismatch", ["enroll", "serve", "--dir", "ovl-wrongkey", "--listen", "127.0.0.1:0"], 2, "does not match the CA certificate"),
        new("enroll serve port in use", ["enroll", "serve", "--dir", "ovl", "--listen", "127.0.0.1:{busy}"], 2, "cannot listen"),
        new("enroll serve bad address", ["enroll", "serve", "--dir", "ovl", "--listen", "nowhere"], 2, "must be ADDRESS:PORT"),
        new("enroll request unreachable", ["enroll", "request", "--server", "https://127.0.0.1:{unreachable}", "--user", "ann@bad.test", "--password", "pw", "--out", "me", "--root", "ovl/ca-cert.pem"], 2, "connection refused"),
        new("enroll request silent", ["enroll", "request", "--server", "https://127.0.0.1:{silent}", "--user", "ann@bad.test", "--password", "pw", "--out", "me", "--root", "ovl/ca-cert.pem", "--timeout", "1"], 2, "timed out after 1 s waiting for the configuration document"),
        new("enroll request not https", ["enroll", "request", "--server", "https://127.0.0.1:{plain}", "--user", "ann@bad.test", "--password", "pw", "--out", "me", "--root", "ovl/ca-cert.pem"], 2, "TLS handshake failed"),
        new("enroll request http url", ["enroll", "request", "--server", "http://127.0.0.1:{plain}", "--user", "ann@bad.test", "--password", "pw", "--out", "me"], 2, "must be an https:// URL"),
        new("enroll request nodes 0", ["enroll", "request", "--server", "https://127.0.0.1:{plain}", "--user", "ann@bad.test", "--password", "pw", "--out", "me", "--nodes", "0"], 2, "--nodes must be between 1 and"),
        new("enroll request nodes negative", ["enroll", "request", "--server", "https://127.0.0.1:{plain}", "--user", "ann@bad.test", "--password", "pw", "--out", "me", "--nodes", "-3"], 2, "--nodes must be between 1 and"),
        new("enroll request empty password", ["enroll", "request", "--server", "https://127.0.0.1:{plain}", "--user", "ann@bad.test", "--password", "", "--out", "me"], 2, "--password must not be empty"),
        new("enroll request out is a file", ["enroll", "request", "--server", "https://127.0.0.1:{plain}", "--user", "ann@bad.test", "--password", "pw", "--out", Good], 2, "not a folder"),
        new("enroll request out holds an identity", ["enroll", "request", "--server", "https://127.0.0.1:{plain}", "--user", "ann@bad.test", "--password", "pw", "--out", "id"], 2, "already holds an identity"),
        new("enroll request root missing", ["enroll", "request", "--server", "https://127.0.0.1:{plain}", "--user", "ann@bad.test", "--password", "pw", "--out", "me", "--root", "missing.pem"], 2, "--root missing.pem: no such file"),
        new("enroll request root not PEM", ["enroll", "request", "--server", "https://127.0.0.1:{plain}", "--user", "ann@bad.test", "--password", "pw", "--out", "me", "--root", "text.txt"], 2, "--root text.txt: no certificate in PEM form"),
        new("enroll request root device", ["enroll", "request", "--server", "https://127.0.0.1:{plain}", "--user", "ann@bad.test", "--password", "pw", "--out", "me", "--root", "/dev/zero"], 2, "--root /dev/zero: is a character device"),
        new("enroll request timeout 0", ["enroll", "request", "--server", "https://127.0.0.1:{plain}", "--user", "ann@bad.test", "--password", "pw", "--out", "me", "--timeout", "0"], 2, "--timeout must be between"),
    ];

    private static IEnumerable<BadInputCase> Peer() =>
    [
        new("peer unknown topology", ["peer", "--overlay", "ovl-kademlia", "--identity", "id", "--listen", "127.0.0.1:0", "--first"], 2, "topology-plugin \"KADEMLIA\" is not supported"),
        new("peer initial-ttl 0", ["peer", "--overlay", "ovl-ttl0", "--identity", "id", "--listen", "127.0.0.1:0", "--first"], 2, "initial-ttl 0"),
        new("peer identity of another CA", ["peer", "--overlay", "ovl", "--identity", "id-other-ca", "--listen", "127.0.0.1:0", "--first"], 2, "issued by another CA"),
        new("peer bootstrap to itself", ["peer", "--overlay", "ovl", "--identity", "id", "--listen", "127.0.0.1:{unreachable}", "--bootstrap", "127.0.0.1:{unreachable}"], 2, "is this peer's own --listen address"),
        new("peer port in use", ["peer", "--overlay", "ovl", "--identity", "id", "--listen", "127.0.0.1:{busy}", "--first"], 2, "--listen 127.0.0.1:"),
        new("peer unreachable bootstrap", ["peer", "--overlay", "ovl", "--identity", "id", "--listen", "127.0.0.1:0", "--bootstrap", "127.0.0.1:{unreachable}"], 2, "cannot reach the bootstrap peer"),
        new("peer silent bootstrap", ["peer", "--overlay", "ovl", "--identity", "id", "--listen", "127.0.0.1:0", "--bootstrap", "127.0.0.1:{silent}", "--timeout", "1"], 2, "waiting for a link to the bootstrap peer"),
        new("peer identity missing", ["peer", "--overlay", "ovl", "--identity", "missing", "--listen", "127.0.0.1:0", "--first"], 2, "--identity missing: no such folder"),
        new("peer identity empty", ["peer", "--overlay", "ovl", "--identity", "id-empty", "--listen", "127.0.0.1:0", "--first"], 2, "no key.pem"),
        new("peer overlay empty file", ["peer", "--overlay", "empty.bin", "--identity", "id", "--listen", "127.0.0.1:0", "--first"], 2, "--overlay empty.bin"),
        new("peer overlay wrong format", ["peer", "--overlay", "text.txt", "--identity", "id", "--listen", "127.0.0.1:0", "--first"], 2, "--overlay text.txt"),
        new("peer overlay device", ["peer", "--overlay", "/dev/zero", "--identity", "id", "--listen", "127.0.0.1:0", "--first"], 2, "--overlay /dev/zero: is a character device"),
        new("peer overlay huge", ["peer", "--overlay", "huge.bin", "--identity", "id", "--listen", "127.0.0.1:0", "--first"], 2, "too large"),
        new("peer overlay fifo", ["peer", "--overlay", "fifo", "--identity", "id", "--listen", "127.0.0.1:0", "--first"], 2, "--overlay fifo: is a FIFO"),
        new("peer overlay folder without overlay.xml", ["peer", "--overlay", "folder", "--identity", "id", "--listen", "127.0.0.1:0", "--first"], 2, "no such file"),
        new("peer unknown transport", ["peer", "--overlay", "ovl", "--identity", "id", "--listen", "127.0.0.1:0", "--first", "--transport", "carrier-pigeon"], 2, "--transport carrier-pigeon"),
        new("peer unknown defence", ["peer", "--overlay", "ovl", "--identity", "id", "--listen", "127.0.0.1:0", "--first", "--disable", "seatbelts"], 2, "seatbelts"),
    ];

    private static IEnumerable<BadInputCase> Sip() =>
    [
        new("sip register empty contact", ["sip", "register", "--overlay", "ovl", "--identity", "id", "--bootstrap", "127.0.0.1:{unreachable}", "--aor", "peer@bad.test", "--contact", ""], 2, "--contact: must not be empty"),
        new("sip register contact not a URI", ["sip", "register", "--overlay", "ovl", "--identity", "id", "--bootstrap", "127.0.0.1:{unreachable}", "--aor", "peer@bad.test", "--contact", "not a uri"], 2, "is not a URI"),
        new("sip register contact too long", ["sip", "register", "--overlay", "ovl", "--identity", "id", "--bootstrap", "127.0.0.1:{unreachable}", "--aor", "peer@bad.test", "--contact", "sip:" + new string('a', 70_000)], 2, "at most 65535"),
        new("sip register lifetime 0", ["sip", "register", "--overlay", "ovl", "--identity", "id", "--bootstrap", "127.0.0.1:{unreachable}", "--aor", "peer@bad.test", "--contact", "sip:a@192.0.2.1", "--lifetime", "0"], 2, "--lifetime 0"),
        new("sip register silent", ["sip", "register", "--overlay", "ovl", "--identity", "id", "--bootstrap", "127.0.0.1:{silent}", "--aor", "peer@bad.test", "--contact", "sip:a@192.0.2.1", "--timeout", "1"], 2, "timed out after 1 s"),
        new("sip lookup unreachable", ["sip", "lookup", "--overlay", "ovl", "--identity", "id", "--bootstrap", "127.0.0.1:{unreachable}", "--aor", "peer@bad.test"], 2, "cannot reach the bootstrap peer"),
        new("sip lookup bad address", ["sip", "lookup", "--overlay", "ovl", "--identity", "id", "--bootstrap", "nowhere", "--aor", "peer@bad.test"], 2, "--bootstrap nowhere"),
    ];

    private static IEnumerable<BadInputCase> Sim() =>
    [
        new("sim zero peers", ["sim", "--peers", "0"], 2, "--peers must be between 1 and 1000000"),
        new("sim negative lookups", ["sim", "--peers", "2", "--lookups", "-1"], 2, "--lookups must not be negative"),
        new("sim unknown defence", ["sim", "--peers", "2", "--disable", "seatbelts"], 2, "unknown defence 'seatbelts'"),
        new("sim peers not a number", ["sim", "--peers", "lots"], 2, "as an integer"),
    ];

    private static readonly Dictionary<string, BadInputCase> Cases =
        Decode().Concat(PcapWrite()).Concat(Corpus()).Concat(Demo()).Concat(Overlay()).Concat(Enroll()).Concat(Peer()).Concat(Sip()).Concat(Sim())
            .Concat(Environment.IsPrivilegedProcess ? [] : Unreadable())
            .ToDictionary(c => c.Name);

    /// <summary>Unreadable files are readable by root, so these rows run only for other users.</summary>
    private static IEnumerable<BadInputCase> Unreadable() =>
    [
        new("decode unreadable", ["decode", "unreadable.bin"], 2, "unreadable.bin: cannot read: permission denied"),
        new("pcap write unreadable", ["pcap", "write", "--out", "out.pcap", "unreadable.bin"], 2, "unreadable.bin: cannot read: permission denied"),
    ];

    public static TheoryData<string> Names(string verb) => new(Cases.Keys.Where(k => k.StartsWith(verb + " ", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(Names), "decode")]
    public void Decode_bad_inputs(string name) => Check(Cases[name]);

    [Theory]
    [MemberData(nameof(Names), "pcap")]
    public void Pcap_write_bad_inputs(string name) => Check(Cases[name]);

    [Theory]
    [MemberData(nameof(Names), "corpus")]
    public void Corpus_write_bad_inputs(string name) => Check(Cases[name]);

    [Theory]
    [MemberData(nameof(Names), "demo")]
    public void Demo_bad_inputs(string name) => Check(Cases[name]);

    [Theory]
    [MemberData(nameof(Names), "overlay")]
    public void Overlay_bad_inputs(string name) => Check(Cases[name]);

    [Theory]
    [MemberData(nameof(Names), "enroll")]
    public void Enroll_bad_inputs(string name) => Check(Cases[name]);

    [Theory]
    [MemberData(nameof(Names), "peer")]
    public void Peer_bad_inputs(string name) => Check(Cases[name]);

    [Theory]
    [MemberData(nameof(Names), "sip")]
    public void Sip_bad_inputs(string name) => Check(Cases[name]);

    [Theory]
    [MemberData(nameof(Names), "sim")]
    public void Sim_bad_inputs(string name) => Check(Cases[name]);

    private static void Check(BadInputCase row)
    {
        using var workspace = new BadInputWorkspace();
        var before = workspace.Snapshot();
        var (exit, output, error) = CliRunner.Run(workspace.Directory, workspace.Expand(row.Arguments));
        var detail = $"{row.Name}: exit {exit}\nstdout: {Head(output)}\nstderr: {error}";

        Assert.True(row.Exit == exit, detail);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"System\.|Exception|`1\[|\+Stored", error);
        var errorLines = CliRunner.ProblemLines(error);
        switch (row.Line)
        {
            case OneLineOn.Error:
                var line = Assert.Single(errorLines);
                Assert.StartsWith("p2psip", line, StringComparison.Ordinal);
                if (row.Says is not null) Assert.Contains(row.Says, line, StringComparison.Ordinal);
                break;
            case OneLineOn.Output:
                Assert.True(errorLines.Length == 0, detail);
                var printed = Assert.Single(CliRunner.Lines(output));
                if (row.Says is not null) Assert.Contains(row.Says, printed, StringComparison.Ordinal);
                break;
            case OneLineOn.Nowhere:
                Assert.True(errorLines.Length == 0, detail);
                break;
        }

        // Nothing changed but what the row may create, and nothing temporary or half-written left.
        var after = workspace.Snapshot();
        var created = row.MayCreate ?? [];
        Assert.Equal(before.Where(e => !created.Contains(e.Key)), after.Where(e => !created.Contains(e.Key)));
        Assert.DoesNotContain(after.Keys, k => k.EndsWith(".tmp", StringComparison.Ordinal) || k.EndsWith(".old", StringComparison.Ordinal) || k.EndsWith(".probe", StringComparison.Ordinal));
        Assert.Equal(FileKindName.CharacterDevice, FileKind.Of("/dev/full").Name);
    }

    private static string Head(string text) => text.Length > 400 ? text[..400] + "..." : text;
}
