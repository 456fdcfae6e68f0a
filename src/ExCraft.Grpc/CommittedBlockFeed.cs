using System.Collections.Concurrent;
using System.Threading.Channels;
using ExCraft.Chain;
using ExCraft.Chain.Execution;
using ExCraft.Core.Blocks;

namespace ExCraft.Grpc;

/// <summary>A committed block with the receipts of its transactions, as the chain announces it, and its block-level events (read once, shared by every stream).</summary>
public sealed record CommittedBlockNotice(Block Block, IReadOnlyList<Receipt> Receipts, Lazy<IReadOnlyList<ChainEvent>> BlockEvents);

/// <summary>
/// Fans the chain's committed blocks out to block streams. Each stream has a bounded queue; the
/// commit path only ever tries to enqueue, so a slow client never slows block commits: its queue
/// fills and its stream is ended instead.
/// </summary>
public sealed class CommittedBlockFeed
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();
    private readonly GrpcLimits _limits;
    private readonly Blockchain _chain;

    public CommittedBlockFeed(Blockchain chain, GrpcLimits limits)
    {
        _limits = limits;
        _chain = chain;
        chain.Committed += OnCommitted;
    }

    public int Count => _subscriptions.Count;

    /// <summary>A new subscription; null when the limit of open streams is reached.</summary>
    public Subscription? TrySubscribe()
    {
        var subscription = new Subscription(this, _limits.MaxQueuedBlocksPerStream);
        _subscriptions.TryAdd(subscription, 0);
        if (_subscriptions.Count <= _limits.MaxBlockStreams) return subscription;
        subscription.Dispose();
        return null;
    }

    private void OnCommitted(Block block, IReadOnlyList<Receipt> receipts)
    {
        if (_subscriptions.IsEmpty) return;
        var notice = new CommittedBlockNotice(block, receipts, new Lazy<IReadOnlyList<ChainEvent>>(() => _chain.GetBlockEvents(block.Height)));
        foreach (var subscription in _subscriptions.Keys) subscription.Offer(notice);
    }

    /// <summary>One stream's queue of committed blocks, in commit order.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly CommittedBlockFeed _feed;
        private readonly Channel<CommittedBlockNotice> _queue;

        internal Subscription(CommittedBlockFeed feed, int capacity)
        {
            _feed = feed;
            _queue = Channel.CreateBounded<CommittedBlockNotice>(new BoundedChannelOptions(capacity) { SingleReader = true });
        }

        /// <summary>True once the queue overflowed; the reader then sees the queue end.</summary>
        public bool FellBehind { get; private set; }

        public ChannelReader<CommittedBlockNotice> Reader => _queue.Reader;

        internal void Offer(CommittedBlockNotice notice)
        {
            if (_queue.Writer.TryWrite(notice)) return;
            FellBehind = true;
            _queue.Writer.TryComplete();
        }

        public void Dispose()
        {
            _feed._subscriptions.TryRemove(this, out _);
            _queue.Writer.TryComplete();
        }
    }
}
