using System.Net;
using System.Net.Sockets;

namespace P2psip.Links;

/// <summary>The TCP connection under a stream link (TLS or plaintext), opened with Nagle off.</summary>
internal static class TcpConnection
{
    /// <summary>Connects, or throws <see cref="LinkRefusedException"/> saying why.</summary>
    public static async Task<TcpClient> OpenAsync(IPEndPoint remote, CancellationToken cancel)
    {
        var tcp = new TcpClient(remote.AddressFamily) { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(remote, cancel).ConfigureAwait(false);
            return tcp;
        }
        catch (SocketException e)
        {
            tcp.Dispose();
            throw new LinkRefusedException($"cannot connect to {remote}: {e.Message}", e);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }
}
