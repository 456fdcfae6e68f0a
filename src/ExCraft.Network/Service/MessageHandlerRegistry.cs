using ExCraft.Network.Peers;

namespace ExCraft.Network.Service;

/// <summary>
/// The application's message handlers by type, and delivery of one received message to them. Registration
/// swaps in a new copy of the table, so delivery reads it without waiting for registrations.
/// </summary>
internal sealed class MessageHandlerRegistry(NetworkRuntime runtime)
{
    private readonly Lock _lock = new();
    private Dictionary<uint, MessageHandler[]> _handlers = [];

    public IDisposable Add(uint type, MessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!MessageTypes.IsApplicationType(type))
            throw new ArgumentOutOfRangeException(nameof(type), $"message type {type} is reserved for the network layer (application types start at {MessageTypes.FirstApplicationType})");
        lock (_lock)
        {
            var copy = new Dictionary<uint, MessageHandler[]>(_handlers);
            copy[type] = copy.TryGetValue(type, out var existing) ? [.. existing, handler] : [handler];
            _handlers = copy;
        }
        return new Registration(() =>
        {
            lock (_lock)
            {
                if (!_handlers.TryGetValue(type, out var existing)) return;
                var remaining = existing.Where(h => h != handler).ToArray();
                var copy = new Dictionary<uint, MessageHandler[]>(_handlers);
                if (remaining.Length == 0) copy.Remove(type); else copy[type] = remaining;
                _handlers = copy;
            }
        });
    }

    /// <summary>Runs every handler of the type in registration order; a throwing handler is logged and the next one runs.</summary>
    public async ValueTask DispatchAsync(Peer peer, uint type, byte[] payload)
    {
        MessageHandler[]? handlers;
        lock (_lock) _handlers.TryGetValue(type, out handlers);
        if (handlers is null)
        {
            runtime.Log(NetworkLogLevel.Debug, $"no handler for {MessageTypes.Name(type)} from {peer}; ignored");
            return;
        }
        foreach (var handler in handlers)
        {
            try
            {
                await handler(peer, payload, runtime.ShutdownToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (runtime.IsShuttingDown)
            {
                return;
            }
            catch (Exception e)
            {
                runtime.Log(NetworkLogLevel.Error, $"handler for {MessageTypes.Name(type)} from {peer} threw: {e}");
            }
        }
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
