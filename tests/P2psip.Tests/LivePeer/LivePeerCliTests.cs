using System.Diagnostics;
using P2psip.Security;
using P2psip.Tests.Cli;
using Xunit.Abstractions;

namespace P2psip.Tests.LivePeer;

/// <summary>The live verbs as a user runs them: two <c>p2psip peer</c> processes, then <c>sip register</c> and <c>sip lookup</c> against them.</summary>
[Trait("Category", TestCategory.Live)]
public class LivePeerCliTests(ITestOutputHelper output)
{
    private static string SaveIdentity(EnrollmentAuthority ca, string root, string name, string user)
    {
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var nodeId = new byte[16];
        Random.Shared.NextBytes(nodeId);
        var directory = Path.Combine(root, name);
        Directory.CreateDirectory(directory);
        new Identity(keys, ca.Issue(keys.Public, user, [nodeId], DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30))).Save(directory);
        return directory;
    }

    private sealed class PeerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly List<string> Lines = [];

        public PeerProcess(params string[] arguments)
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "p2psip.dll"));
            start.ArgumentList.Add("peer");
            foreach (var a in arguments) start.ArgumentList.Add(a);
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (Lines) Lines.Add(e.Data);
                if (e.Data.Contains("running;", StringComparison.Ordinal)) _running.TrySetResult();
            };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (Lines) Lines.Add("stderr: " + e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public Task Running => _running.Task;

        /// <summary>The address the peer listens on, as its start-up line reports it (it was given port 0 and bound a free one).</summary>
        public string Address
        {
            get
            {
                lock (Lines)
                {
                    var match = Lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, @" on (127\.0\.0\.1:\d+) over ")).FirstOrDefault(m => m.Success);
                    Assert.True(match is not null, "no start-up line names the listening address:\n" + string.Join("\n", Lines));
                    return match!.Groups[1].Value;
                }
            }
        }

        public void Dispose()
        {
            try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }
    }

    [Trait("Category", TestCategory.Long)]
    [Fact]
    public async Task TwoPeerProcessesThenSipRegisterAndLookup()
    {
        var root = CliRunner.NewDirectory();
        var overlay = Path.Combine(root, "overlay");
        Directory.CreateDirectory(overlay);
        var (ca, _) = OverlayDirectory.Init(overlay, "cli.test");
        var first = SaveIdentity(ca, root, "peer1", "peer1@cli.test");
        var second = SaveIdentity(ca, root, "peer2", "peer2@cli.test");
        var alice = SaveIdentity(ca, root, "alice", "alice@cli.test");
        var bob = SaveIdentity(ca, root, "bob", "bob@cli.test");
        PeerProcess? p1 = null, p2 = null;
        try
        {
            // Port 0: each peer binds a free port itself and prints it (no free-port-then-bind race).
            p1 = new PeerProcess("--overlay", overlay, "--identity", first, "--listen", "127.0.0.1:0", "--first");
            await p1.Running.WaitAsync(TimeSpan.FromSeconds(30));
            var address1 = p1.Address;
            p2 = new PeerProcess("--overlay", overlay, "--identity", second, "--listen", "127.0.0.1:0", "--bootstrap", address1, "--disable", "quotas");
            await p2.Running.WaitAsync(TimeSpan.FromSeconds(30));
            var address2 = p2.Address;
            Assert.Contains(p2.Lines, l => l.Contains("DEFENCE OFF: quotas", StringComparison.Ordinal));

            var register = CliRunner.Run(root, "sip", "register", "--overlay", overlay, "--identity", alice, "--bootstrap", address1,
                "--aor", "alice@cli.test", "--contact", "sip:alice@127.0.0.1:5060");
            output.WriteLine($"register: {register.ExitCode} {register.Output} {register.Error}");
            Assert.Equal(0, register.ExitCode);

            var lookup = CliRunner.Run(root, "sip", "lookup", "--overlay", overlay, "--identity", bob, "--bootstrap", address2, "--aor", "alice@cli.test");
            output.WriteLine($"lookup: {lookup.ExitCode} {lookup.Output} {lookup.Error}");
            Assert.Equal(0, lookup.ExitCode);
            Assert.Equal("sip:alice@127.0.0.1:5060", CliRunner.Lines(lookup.Output).Single());

            var missing = CliRunner.Run(root, "sip", "lookup", "--overlay", overlay, "--identity", bob, "--bootstrap", address1, "--aor", "nobody@cli.test");
            Assert.Equal(1, missing.ExitCode);
        }
        finally
        {
            foreach (var line in (p1?.Lines ?? []).Concat(p2?.Lines ?? [])) output.WriteLine(line);
            p1?.Dispose();
            p2?.Dispose();
        }
    }

    [Fact]
    public void ABadOverlayFileIsNamedInOneLine()
    {
        var root = CliRunner.NewDirectory();
        var result = CliRunner.Run(root, "peer", "--overlay", Path.Combine(root, "missing.xml"), "--identity", root, "--listen", "127.0.0.1:0", "--first");
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(CliRunner.Lines(result.Error));
        Assert.Contains("missing.xml", line, StringComparison.Ordinal);
        var badAddress = CliRunner.Run(root, "sip", "lookup", "--overlay", root, "--identity", root, "--bootstrap", "nowhere", "--aor", "a@b");
        Assert.NotEqual(0, badAddress.ExitCode);
        Assert.Single(CliRunner.Lines(badAddress.Error));
    }
}
