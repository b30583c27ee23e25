using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using P2psip.Overlay;
using P2psip.Security;
using P2psip.Tests.Capture;

namespace P2psip.Tests.Cli;

/// <summary>
/// A folder holding one of every bad input the CLI meets (missing, empty, directory, FIFO, symbolic
/// link, unreadable, huge, truncated, wrong format), plus an overlay, identities and servers that are
/// busy, silent or speak the wrong protocol; and a snapshot of the folder, to show that a refused
/// command changed nothing and left nothing half-written.
/// </summary>
internal sealed class BadInputWorkspace : IDisposable
{
    public const string Overlay = "bad.test";
    private readonly List<IDisposable> _servers = [];
    private readonly CancellationTokenSource _stop = new();

    public BadInputWorkspace()
    {
        Directory = CliRunner.NewDirectory();
        var good = CaptureSamples.ErrorMessage();
        Write("good.bin", good);
        Write("empty.bin", []);
        Write("truncated.bin", good[..(good.Length / 2)]);
        Write("text.txt", Encoding.ASCII.GetBytes("this is not a RELOAD message\n"));
        // A forwarding header that declares a 4 GB message: refused before any of it is read.
        var declared = (byte[])good.Clone();
        declared[16] = declared[17] = declared[18] = declared[19] = 0xff;
        Write("declares-huge.bin", declared);
        // 1 GB of zeros, sparse: costs nothing on disk, and must cost nothing in memory.
        using (var huge = File.Create(Path.Combine(Directory, "huge.bin"))) huge.SetLength(1L << 30);
        Write("unreadable.bin", good);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(Directory, "unreadable.bin"), UnixFileMode.None);
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "folder"));
        File.CreateSymbolicLink(Path.Combine(Directory, "link.bin"), "good.bin");
        File.CreateSymbolicLink(Path.Combine(Directory, "dangling.bin"), "nowhere.bin");
        if (mkfifo(Path.Combine(Directory, "fifo"), 0x1b6) != 0) throw new IOException("mkfifo failed");
        // A corpus folder one of whose seed names is taken by a folder, and a demo folder whose report is.
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "blocked", "ping_req.bin"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "demo-blocked", "report.txt"));

        var (ca, _) = OverlayDirectory.Init(Path.Combine(Directory, "ovl"), Overlay);
        Ca = ca;
        ca.AddUser("ann@" + Overlay, "pw");
        SaveIdentity(ca, "id", "peer@" + Overlay);
        var (other, _) = OverlayDirectory.Create("other.test");
        SaveIdentity(other, "id-other-ca", "peer@other.test");
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "id-empty"));

        // Overlays that must be refused at start-up.
        var configuration = OverlayDocument.Load(Path.Combine(Directory, "ovl", OverlayDirectory.ConfigurationFile)).Configurations[0].Configuration;
        SaveOverlay("ovl-kademlia", configuration with { TopologyPlugin = "KADEMLIA" });
        SaveOverlay("ovl-ttl0", configuration with { InitialTtl = 0 });
        SaveOverlay("ovl-noroot", configuration with { RootCertificates = P2psip.Wire.ValueList<P2psip.Wire.Opaque>.Empty });
        CopyOverlay("ovl-wrongkey");
        File.Copy(Path.Combine(Directory, "id-other-ca", Identity.KeyFile), Path.Combine(Directory, "ovl-wrongkey", EnrollmentAuthority.KeyFile), overwrite: true);
        CopyOverlay("ovl-corrupt");
        File.WriteAllText(Path.Combine(Directory, "ovl-corrupt", EnrollmentAuthority.UsersFile), "{\"Overlay\": 1,");

        Unreachable = FreePort();
        Busy = Listen(out var busy);
        _servers.Add(busy);
        // Silent: the kernel completes the TCP handshake, nobody ever reads or answers.
        Silent = Listen(out var silent);
        _servers.Add(silent);
        // Not TLS: answers anything with a plain HTTP error.
        NotTls = Listen(out var plain);
        _servers.Add(plain);
        _ = AnswerPlainHttp(plain, _stop.Token);
    }

    public string Directory { get; }
    public EnrollmentAuthority Ca { get; }
    public int Unreachable { get; }
    public int Busy { get; }
    public int Silent { get; }
    public int NotTls { get; }

    /// <summary>{unreachable}, {busy}, {silent}, {plain} become ports of this workspace.</summary>
    public string[] Expand(IEnumerable<string> arguments) => arguments.Select(a => a
        .Replace("{unreachable}", Unreachable.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{busy}", Busy.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{silent}", Silent.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{plain}", NotTls.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToArray();

    /// <summary>Every entry under the folder (links not followed): kind, size, modification time, mode, link target.</summary>
    public SortedDictionary<string, string> Snapshot()
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(Directory).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(Directory, entry.FullName);
            entries[relative] = entry.LinkTarget is { } target ? $"link -> {target}"
                : entry is DirectoryInfo ? "dir"
                : $"file {((FileInfo)entry).Length} {entry.LastWriteTimeUtc.Ticks} {entry.UnixFileMode}";
        }
        return entries;
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var server in _servers) server.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static int Listen(out Socket socket)
    {
        socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(16);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static async Task AnswerPlainHttp(Socket listener, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptAsync(stop);
                await client.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), SocketFlags.None, stop);
                client.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    private void Write(string name, byte[] bytes) => File.WriteAllBytes(Path.Combine(Directory, name), bytes);

    private void SaveIdentity(EnrollmentAuthority ca, string name, string user)
    {
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var nodeId = new byte[16];
        Random.Shared.NextBytes(nodeId);
        new Identity(keys, ca.Issue(keys.Public, user, [nodeId], DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30))).Save(Path.Combine(Directory, name));
    }

    private void SaveOverlay(string name, OverlayConfiguration configuration)
    {
        CopyOverlay(name);
        OverlayDocument.Of(configuration).Save(Path.Combine(Directory, name, OverlayDirectory.ConfigurationFile));
    }

    private void CopyOverlay(string name)
    {
        var target = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Directory, "ovl")))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
