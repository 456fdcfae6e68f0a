using System.Collections.Concurrent;
using ExCraft.Core;

namespace ExCraft.Network.Service;

/// <summary>
/// What every part of the network service shares: its identity and options, the shutdown signal, the
/// background tasks it started (so shutdown can wait for them) and the log.
/// </summary>
internal sealed class NetworkRuntime(NodeKey key, NetworkIdentity identity, NetworkOptions options)
{
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<Task, byte> _tasks = new();

    public NodeKey Key { get; } = key;
    public Address NodeId => Key.NodeId;
    public NetworkIdentity Identity { get; } = identity;
    public NetworkOptions Options { get; } = options;
    public TimeProvider Time => Options.TimeProvider;

    public CancellationToken ShutdownToken => _shutdown.Token;
    public bool IsShuttingDown => _shutdown.IsCancellationRequested;

    public void Log(NetworkLogLevel level, string message)
    {
        try
        {
            Options.Log?.Invoke(level, message);
        }
        catch
        {
            // A failing logger must not take the network down.
        }
    }

    /// <summary>Runs <paramref name="work"/> in the background; failures are logged, shutdown waits for it.</summary>
    public void Track(Func<Task> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !_shutdown.IsCancellationRequested)
            {
                Log(NetworkLogLevel.Error, $"network task failed: {e}");
            }
            catch (OperationCanceledException)
            {
            }
        });
        _tasks[task] = 0;
        task.ContinueWith(t => _tasks.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public void SignalShutdown() => _shutdown.Cancel();

    /// <summary>Waits for the tracked tasks, at most <paramref name="limit"/>.</summary>
    public async Task WaitForTasksAsync(TimeSpan limit)
    {
        var deadline = Task.Delay(limit, CancellationToken.None);
        while (!_tasks.IsEmpty)
        {
            var all = Task.WhenAll(_tasks.Keys);
            if (await Task.WhenAny(all, deadline).ConfigureAwait(false) == deadline)
            {
                Log(NetworkLogLevel.Warning, $"network shutdown: {_tasks.Count} task(s) still running after {limit.TotalSeconds:0.#} s (a message handler may be stuck)");
                return;
            }
        }
    }
}
