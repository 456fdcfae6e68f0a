using System.Threading.Channels;

namespace ExCraft.Network.Service;

/// <summary>
/// The service's public events. Connection and disconnection are raised by each peer's dispatch loop (in
/// order with its messages); rejections and bans are queued to one event loop, so a slow subscriber never
/// holds up accepting, dialing or banning. A throwing subscriber is logged and the others still run.
/// </summary>
internal sealed class NetworkEvents(NetworkRuntime runtime)
{
    private readonly Channel<Action> _queue = Channel.CreateBounded<Action>(new BoundedChannelOptions(4096)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });
    private Task? _loop;

    public Action<PeerInfo>? PeerConnected;
    public Action<PeerDisconnection>? PeerDisconnected;
    public Action<ConnectionRejection>? ConnectionRejected;
    public Action<BanEntry>? PeerBanned;

    public void Start() => _loop = Task.Run(LoopAsync, CancellationToken.None);

    public void RaisePeerConnected(PeerInfo info) => Invoke(PeerConnected, info, nameof(PeerConnected));

    public void RaisePeerDisconnected(PeerDisconnection disconnection) => Invoke(PeerDisconnected, disconnection, nameof(PeerDisconnected));

    public void PostRejected(ConnectionRejection rejection) => Post(() => ConnectionRejected?.Invoke(rejection));

    public void PostBanned(BanEntry entry) => Post(() => PeerBanned?.Invoke(entry));

    /// <summary>Lets the loop finish what is queued, waiting at most <paramref name="limit"/>.</summary>
    public async Task StopAsync(TimeSpan limit)
    {
        _queue.Writer.TryComplete();
        if (_loop is not null) await Task.WhenAny(_loop, Task.Delay(limit, CancellationToken.None)).ConfigureAwait(false);
    }

    private void Post(Action raise) => _queue.Writer.TryWrite(raise);

    private void Invoke<T>(Action<T>? handlers, T argument, string name)
    {
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<T>>())
        {
            try
            {
                handler(argument);
            }
            catch (Exception e)
            {
                runtime.Log(NetworkLogLevel.Error, $"{name} handler threw: {e}");
            }
        }
    }

    private async Task LoopAsync()
    {
        await foreach (var raise in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                raise();
            }
            catch (Exception e)
            {
                runtime.Log(NetworkLogLevel.Error, $"network event handler threw: {e}");
            }
        }
    }
}
