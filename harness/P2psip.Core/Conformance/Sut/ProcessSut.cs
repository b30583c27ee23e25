using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using P2psip.Conformance.Probe;

namespace P2psip.Conformance.Sut;

/// <summary>
/// A peer the harness runs as a separate process (<c>--sut-command 'CMD'</c>), through
/// <c>/bin/sh -c</c>, with placeholders filled in: <c>{overlay}</c> (the overlay.xml path),
/// <c>{identity}</c> (the directory holding key.pem and cert.pem), <c>{lab}</c> (the lab
/// directory), <c>{listen}</c> (HOST:PORT to listen on), <c>{host}</c>, <c>{port}</c>. It is ready
/// once its port accepts connections; after a crash it is started again on the same port.
/// </summary>
public sealed class ProcessSut : ISystemUnderTest
{
    private readonly string _template;
    private readonly string _labDirectory;
    private readonly string _identityDirectory;
    private readonly SutTransport _transport;
    private readonly Wire.Opaque _nodeId;
    private readonly TimeSpan _startTimeout;
    private readonly List<string> _output = [];
    private Process? _process;
    private int _port;

    public ProcessSut(string commandTemplate, string labDirectory, string identityDirectory, Wire.Opaque nodeId, SutTransport transport, TimeSpan? startTimeout = null)
    {
        _template = commandTemplate;
        _labDirectory = labDirectory;
        _identityDirectory = identityDirectory;
        _nodeId = nodeId;
        _transport = transport;
        _startTimeout = startTimeout ?? TimeSpan.FromSeconds(60);
    }

    public string Kind => "process";
    public string Description => $"process `{_template}` at 127.0.0.1:{_port}";
    public SutEndpoint Endpoint { get; private set; } = new(new IPEndPoint(IPAddress.Loopback, 0), SutTransport.Tls, null);
    public IReadOnlyList<string>? DisabledDefences { get; init; }
    public bool CanRestart => true;
    public bool? HasExited => _process is null ? null : _process.HasExited;

    /// <summary>The command line as started, placeholders filled in.</summary>
    public string? CommandLine { get; private set; }

    /// <summary>How many times the process was started.</summary>
    public int Starts { get; private set; }

    public IReadOnlyList<string> RecentOutput
    {
        get { lock (_output) return _output.TakeLast(30).ToArray(); }
    }

    public async Task StartAsync(CancellationToken cancel)
    {
        if (_port == 0) _port = FreeTcpPort();
        var listen = $"127.0.0.1:{_port}";
        CommandLine = _template
            .Replace("{overlay}", Quote(Path.Combine(_labDirectory, Security.OverlayDirectory.ConfigurationFile)), StringComparison.Ordinal)
            .Replace("{identity}", Quote(_identityDirectory), StringComparison.Ordinal)
            .Replace("{lab}", Quote(_labDirectory), StringComparison.Ordinal)
            .Replace("{listen}", listen, StringComparison.Ordinal)
            .Replace("{host}", "127.0.0.1", StringComparison.Ordinal)
            .Replace("{port}", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var start = new ProcessStartInfo("/bin/sh", ["-c", "exec " + CommandLine])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new SutSetupException($"cannot start `{CommandLine}`");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SutSetupException($"cannot start `{CommandLine}`: {e.Message}", e);
        }
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;
        Endpoint = new SutEndpoint(new IPEndPoint(IPAddress.Loopback, _port), _transport, _nodeId);
        await WaitUntilListeningAsync(process, cancel).ConfigureAwait(false);
    }

    public async Task RestartAsync(CancellationToken cancel)
    {
        Kill();
        await StartAsync(cancel).ConfigureAwait(false);
    }

    private async Task WaitUntilListeningAsync(Process process, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + _startTimeout;
        while (DateTime.UtcNow < deadline)
        {
            cancel.ThrowIfCancellationRequested();
            if (process.HasExited)
                throw new SutSetupException($"`{CommandLine}` exited with status {process.ExitCode} before listening" + LastLine());
            if (_transport == SutTransport.Dtls)
            {
                // UDP has no accept to probe; the peer prints "running" once it is up (p2psip peer does).
                lock (_output) if (_output.Any(l => l.Contains("running", StringComparison.OrdinalIgnoreCase))) return;
            }
            else
            {
                using var tcp = new TcpClient();
                try
                {
                    await tcp.ConnectAsync(IPAddress.Loopback, _port, cancel).ConfigureAwait(false);
                    return;
                }
                catch (SocketException)
                {
                }
            }
            await Task.Delay(100, cancel).ConfigureAwait(false);
        }
        Kill();
        throw new SutSetupException($"`{CommandLine}` did not listen on 127.0.0.1:{_port} within {_startTimeout.TotalSeconds:0} s" + LastLine());
    }

    private string LastLine()
    {
        lock (_output) return _output.Count > 0 ? $"; it said: {_output[^1]}" : "";
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 400) _output.RemoveRange(0, 200);
        }
    }

    private void Kill()
    {
        if (_process is not { } process) return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
        _process = null;
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static int FreeTcpPort()
    {
        // The process binds it itself; a short window remains in which another program could take it.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            // A clean stop first (p2psip peer leaves on SIGTERM), then the kill.
            try { process.StandardInput.Close(); } catch (InvalidOperationException) { }
            SendTerm(process);
            if (!process.WaitForExit(5_000)) Kill();
        }
        Kill();
        return ValueTask.CompletedTask;
    }

    private static void SendTerm(Process process)
    {
        try { Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit(2_000); }
        catch (System.ComponentModel.Win32Exception) { }
    }
}
