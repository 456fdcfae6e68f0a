using System.Net;
using System.Net.Sockets;

namespace ExCraft.Network.Transport;

/// <summary>Plain TCP with Nagle disabled (small consensus messages should not wait).</summary>
public sealed class TcpTransport(IPAddress? localAddress = null) : ITransport
{
    public ITransportListener Listen(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Lets a restarted node bind its port while old connections sit in TIME_WAIT
            // (on Linux this never allows two listeners on one port).
            if (!OperatingSystem.IsWindows()) socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(128);
            return new Listener(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task<ITransportConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        IPAddress[] addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (localAddress is not null) addresses = [.. addresses.Where(a => a.AddressFamily == localAddress.AddressFamily)];
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);

        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (localAddress is not null) socket.Bind(new IPEndPoint(localAddress, 0));
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return new Connection(socket);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                if (e is OperationCanceledException) throw;
                last = e;
            }
        }
        throw last!;
    }

    private sealed class Listener(Socket socket) : ITransportListener
    {
        public IPEndPoint LocalEndPoint { get; } = (IPEndPoint)socket.LocalEndPoint!;

        public async Task<ITransportConnection> AcceptAsync(CancellationToken cancellationToken)
        {
            var accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return new Connection(accepted);
            }
            catch
            {
                accepted.Dispose();  // e.g. the client already reset the connection
                throw;
            }
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Connection : ITransportConnection
    {
        private static readonly TimeSpan DrainTimeout = TimeSpan.FromMilliseconds(500);
        private readonly NetworkStream _stream;
        private readonly Socket _socket;

        public Connection(Socket socket)
        {
            _socket = socket;
            socket.NoDelay = true;
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            RemoteEndPoint = remote.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(remote.Address.MapToIPv4(), remote.Port) : remote;
            _stream = new NetworkStream(socket, ownsSocket: true);
        }

        public Stream Stream => _stream;
        public IPEndPoint RemoteEndPoint { get; }

        /// <summary>
        /// Closes gracefully: FIN after what is already sent, then what the peer still sends is read
        /// and dropped for a short while. Closing a socket with unread data makes the kernel reset
        /// the connection, and a reset can destroy a Disconnect message still on its way.
        /// </summary>
        public async ValueTask DisposeAsync()
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Send);
                using var timeout = new CancellationTokenSource(DrainTimeout);
                var buffer = new byte[16 * 1024];
                while (await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false) > 0)
                {
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
