using System.Threading.Channels;
using ExCraft.Rpc.MarketData;

namespace ExCraft.Grpc;

/// <summary>
/// One gRPC market stream's queue, fed from the market-data index's Updated event (under its lock,
/// so a snapshot taken at subscription comes before every later update). The commit path never
/// waits: a stream whose queue is full is marked as fallen behind and its queue completed.
/// </summary>
public sealed class MarketFeed<T> : IDisposable where T : class
{
    /// <summary>Updates a stream may have queued before it is ended with a resync.</summary>
    public const int Capacity = 256;

    /// <summary>Market streams open at once over gRPC, of all kinds together.</summary>
    public const int MaxStreams = 256;

    private readonly MarketDataIndex _index;
    private readonly Func<MarketDataUpdate, IEnumerable<T>> _map;
    private readonly Channel<T> _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private int _disposed;

    private MarketFeed(MarketDataIndex index, Func<MarketDataUpdate, IEnumerable<T>> map)
    {
        _index = index;
        _map = map;
    }

    public bool FellBehind { get; private set; }

    public ChannelReader<T> Reader => _queue.Reader;

    /// <summary>Subscribes; <paramref name="first"/> (e.g. a snapshot) is queued under the index's lock before any update. Null when too many streams are open.</summary>
    public static MarketFeed<T>? TryOpen(MarketDataIndex index, Func<MarketDataUpdate, IEnumerable<T>> map, Func<T?>? first = null)
    {
        if (Interlocked.Increment(ref MarketFeedCount.Open) > MaxStreams)
        {
            Interlocked.Decrement(ref MarketFeedCount.Open);
            return null;
        }
        var feed = new MarketFeed<T>(index, map);
        index.Exclusive(() =>
        {
            if (first?.Invoke() is { } message) feed._queue.Writer.TryWrite(message);
            index.Updated += feed.Offer;
        });
        return feed;
    }

    private void Offer(MarketDataUpdate update)
    {
        if (FellBehind) return;
        foreach (var message in _map(update))
        {
            if (_queue.Writer.TryWrite(message)) continue;
            FellBehind = true;
            _queue.Writer.TryComplete();
            _index.Updated -= Offer;
            return;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _index.Updated -= Offer;
        _queue.Writer.TryComplete();
        Interlocked.Decrement(ref MarketFeedCount.Open);
    }
}

/// <summary>The number of open market streams, shared by every message type.</summary>
internal static class MarketFeedCount
{
    public static int Open;
}
