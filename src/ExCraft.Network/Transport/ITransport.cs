using System.Net;

namespace ExCraft.Network.Transport;

/// <summary>
/// The byte-stream transport under the encrypted P2P channel. TCP today (<see cref="TcpTransport"/>);
/// anything that yields ordered, reliable streams (QUIC, an in-memory pipe for simulations) can
/// replace it without touching the handshake, framing or peer logic.
/// </summary>
public interface ITransport
{
    /// <summary>Starts listening; the returned listener reports the actual bound endpoint.</summary>
    ITransportListener Listen(IPEndPoint endPoint);

    /// <summary>Opens a stream to host:port; throws on failure or cancellation.</summary>
    Task<ITransportConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken);
}

public interface ITransportListener : IAsyncDisposable
{
    IPEndPoint LocalEndPoint { get; }

    Task<ITransportConnection> AcceptAsync(CancellationToken cancellationToken);
}

/// <summary>One connection. Disposing it closes the stream and aborts pending reads and writes.</summary>
public interface ITransportConnection : IAsyncDisposable
{
    Stream Stream { get; }

    /// <summary>The other side's address as seen from here (IPv4-mapped IPv6 addresses are unmapped).</summary>
    IPEndPoint RemoteEndPoint { get; }
}
