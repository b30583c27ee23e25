using System.Net;
using System.Net.Sockets;

namespace P2psip.Links;

/// <summary>
/// Plaintext RELOAD over TCP, framed or unframed: INSECURE, for talking to peers under test that have
/// no TLS so as to report it. Nothing here is used unless asked for by name, and the protocol name
/// of every such link says INSECURE.
/// </summary>
public static class PlaintextLinks
{
    public const string FramedProtocol = "INSECURE-PLAINTEXT-TCP-FH";
    public const string UnframedProtocol = "INSECURE-PLAINTEXT-TCP";

    public static string ProtocolName(bool framed) => framed ? FramedProtocol : UnframedProtocol;

    /// <summary>Opens an INSECURE plaintext link; <paramref name="framed"/> selects the §6.6.2 framing.</summary>
    public static async Task<StreamLink> ConnectInsecureAsync(IPEndPoint remote, bool framed, LinkLimits? limits = null, CancellationToken cancel = default)
    {
        var tcp = await TcpConnection.OpenAsync(remote, cancel).ConfigureAwait(false);
        return new StreamLink(tcp.GetStream(), tcp, ProtocolName(framed), secure: false, framed, peer: null, limits ?? LinkLimits.Default, LinkRole.Initiator, Wire.Opaque.Empty);
    }
}

/// <summary>Accepts INSECURE plaintext links (framed or unframed, as constructed).</summary>
public sealed class PlaintextLinkListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly bool _framed;
    private readonly LinkLimits _limits;

    public PlaintextLinkListener(IPEndPoint endpoint, bool framed, LinkLimits? limits = null)
    {
        _framed = framed;
        _limits = limits ?? LinkLimits.Default;
        _listener = new TcpListener(endpoint);
        _listener.Start();
    }

    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;

    public async Task<StreamLink> AcceptInsecureAsync(CancellationToken cancel = default)
    {
        var tcp = await _listener.AcceptTcpClientAsync(cancel).ConfigureAwait(false);
        tcp.NoDelay = true;
        return new StreamLink(tcp.GetStream(), tcp, PlaintextLinks.ProtocolName(_framed), secure: false, _framed, peer: null, _limits, LinkRole.Acceptor, Wire.Opaque.Empty);
    }

    public ValueTask DisposeAsync()
    {
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
