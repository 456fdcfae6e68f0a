using ExCraft.Chain.Execution;
using ExCraft.Chain.State;
using ExCraft.Chain.Store;
using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Genesis;
using ExCraft.Storage;

namespace ExCraft.Chain;

/// <summary>
/// The committed chain on disk: blocks, commits, receipts, indexes and state. Each block is
/// written in one synced batch together with its state changes and the new head, so a crash
/// leaves either the whole block or none of it.
/// </summary>
public sealed class Blockchain
{
    private readonly IKeyValueStore _store;
    private readonly object _commitLock = new();
    private volatile ChainHead _head;

    public GenesisConfig Genesis { get; }
    public byte[] GenesisHash { get; }
    public ulong ChainId => Genesis.ChainId;
    public CommittedState State { get; }
    public ChainHead Head => _head;

    /// <summary>Keep only the last N block bodies (0 keeps all); receipts, commits and state stay.</summary>
    public ulong PruneKeepBlocks { get; set; }

    /// <summary>Raised after a block is durably committed.</summary>
    public event Action<Block, IReadOnlyList<Receipt>>? Committed;

    /// <summary>The last committed block's own events, kept so readers of the new head (the market-data index) need not decode them back.</summary>
    private sealed record CommittedEvents(ulong Height, IReadOnlyList<ChainEvent> Events);

    private volatile CommittedEvents? _lastBlockEvents;

    private Blockchain(IKeyValueStore store, GenesisConfig genesis, byte[] genesisHash, ChainHead head)
    {
        _store = store;
        Genesis = genesis;
        GenesisHash = genesisHash;
        State = new CommittedState(store);
        _head = head;
    }

    /// <summary>Opens the chain in a store, writing genesis state on first use; a store made for another genesis is refused.</summary>
    public static Blockchain Open(IKeyValueStore store, GenesisConfig genesis, Modules.ModuleRegistry? modules = null)
    {
        var genesisHash = genesis.Hash();
        var storedGenesis = store.Get(ChainKeys.GenesisHash);
        if (storedGenesis is not null)
        {
            if (!storedGenesis.AsSpan().SequenceEqual(genesisHash))
                throw new GenesisException($"the data directory belongs to the chain with genesis {Core.Encoding.Hex.Encode(storedGenesis)}, but the genesis file given has hash {Core.Encoding.Hex.Encode(genesisHash)}");
            var head = ChainHead.Decode(store.Get(ChainKeys.Head) ?? throw new StorageException("store has a genesis hash but no chain head"));
            return new Blockchain(store, genesis, genesisHash, head);
        }
        var overlay = GenesisState.Build(genesis, new CommittedState(store), modules);
        var genesisHead = new ChainHead(0, genesisHash, AppHash.Next(AppHash.Initial, overlay.Writes), genesis.GenesisTimeMs);
        using var batch = new WriteBatch();
        WriteState(batch, overlay);
        batch.Put(ChainKeys.GenesisHash, genesisHash);
        batch.Put(ChainKeys.Head, genesisHead.Encode());
        store.Write(batch, sync: true);
        return new Blockchain(store, genesis, genesisHash, genesisHead);
    }

    /// <summary>Writes a block, its commit, receipts, indexes, state changes and the new head in one synced batch.</summary>
    public void CommitBlock(Block block, Commit commit, BlockExecution execution, byte[] appHashAfter)
    {
        var receipts = execution.Receipts;
        var (encodedReceipts, touched, encodedEvents) = EncodeForCommit(execution);
        lock (_commitLock)
        {
            var head = _head;
            if (block.Height != head.Height + 1) throw new InvalidOperationException($"block {block.Height} does not follow head {head.Height}");
            using var batch = new WriteBatch();
            var blockEncoding = block.PlanEncoding();
            blockEncoding.WriteTo(batch.PutInPlace(ChainKeys.Block(block.Height), blockEncoding.Length));
            batch.Put(ChainKeys.HeightOf(block.Hash), ChainKeys.EncodeHeight(block.Height));
            batch.Put(ChainKeys.Commit(block.Height), commit.Encode());
            for (var i = 0; i < receipts.Count; i++)
            {
                var receipt = receipts[i];
                batch.Put(ChainKeys.Receipt(receipt.TransactionHash), encodedReceipts[i]);
                foreach (var account in touched[i])
                    batch.Put(ChainKeys.AccountTx(account, receipt.Height, receipt.Index), receipt.TransactionHash);
            }
            // Written where the batch keeps it, as the block is: megabytes in an order block, and a fresh large array
            // every block made the runtime collect its whole heap every second or so (docs/BENCHMARKS.md e2e-orders round 6).
            if (encodedEvents.Length > 0) Core.Encoding.Rlp.WriteList(batch.PutInPlace(ChainKeys.BlockEvents(block.Height), Core.Encoding.Rlp.ListLength(encodedEvents)), encodedEvents);
            WriteState(batch, execution.Changes);
            if (PruneKeepBlocks > 0 && block.Height > PruneKeepBlocks) batch.Delete(ChainKeys.Block(block.Height - PruneKeepBlocks));
            var newHead = new ChainHead(block.Height, block.Hash, appHashAfter, block.Header.TimeMs);
            batch.Put(ChainKeys.Head, newHead.Encode());
            _store.Write(batch, sync: true);
            _head = newHead;
            _lastBlockEvents = new CommittedEvents(block.Height, execution.BlockEvents.ToArray());
        }
        Committed?.Invoke(block, receipts);
    }

    /// <summary>
    /// Each receipt's bytes and accounts, and the block events' bytes: independent per item, so
    /// computed in parallel (the same bytes in any order), then written in order. They were about a
    /// fifth of an order block's production thread (docs/BENCHMARKS.md e2e-orders, round 5).
    /// </summary>
    private static (byte[][] Receipts, IReadOnlyCollection<Address>[] Touched, byte[][] Events) EncodeForCommit(BlockExecution execution)
    {
        var receipts = execution.Receipts;
        var events = execution.BlockEvents;
        var encodedReceipts = new byte[receipts.Count][];
        var touched = new IReadOnlyCollection<Address>[receipts.Count];
        var encodedEvents = new byte[events.Count][];
        const int chunk = 256;
        var receiptChunks = (receipts.Count + chunk - 1) / chunk;
        var eventChunks = (events.Count + chunk - 1) / chunk;
        Parallel.For(0, receiptChunks + eventChunks, c =>
        {
            if (c < receiptChunks)
            {
                for (var i = c * chunk; i < Math.Min(receipts.Count, (c + 1) * chunk); i++)
                {
                    encodedReceipts[i] = receipts[i].Encode();
                    touched[i] = receipts[i].AccountsTouched();
                }
            }
            else
            {
                var e = c - receiptChunks;
                for (var i = e * chunk; i < Math.Min(events.Count, (e + 1) * chunk); i++) encodedEvents[i] = events[i].Encode();
            }
        });
        return (encodedReceipts, touched, encodedEvents);
    }

    public Block? GetBlock(ulong height) => _store.Get(ChainKeys.Block(height)) is { } encoded ? Block.Decode(encoded) : null;

    public Block? GetBlockByHash(byte[] hash)
    {
        var height = _store.Get(ChainKeys.HeightOf(hash));
        return height is null ? null : GetBlock(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(height));
    }

    public Commit? GetCommit(ulong height) => _store.Get(ChainKeys.Commit(height)) is { } encoded ? Commit.Decode(Core.Encoding.Rlp.Decode(encoded)) : null;

    /// <summary>Events of a block's own processing (staking: slashing, unbonding releases, set updates).</summary>
    public IReadOnlyList<ChainEvent> GetBlockEvents(ulong height) =>
        _lastBlockEvents is { } last && last.Height == height ? last.Events : // the head's, as committed: no decode (market-data index, docs/BENCHMARKS.md e2e-orders)
        _store.Get(ChainKeys.BlockEvents(height)) is { } encoded ? Core.Encoding.Rlp.Decode(encoded).Items.Select(ChainEvent.Decode).ToList() : [];

    public Receipt? GetReceipt(byte[] txHash) => _store.Get(ChainKeys.Receipt(txHash)) is { } encoded ? Receipt.Decode(encoded) : null;

    /// <summary>Hashes of an account's transactions, newest first.</summary>
    public IReadOnlyList<byte[]> GetAccountTransactions(Address account, int limit)
    {
        var prefix = ChainKeys.AccountPrefix(account);
        var start = ChainKeys.AccountTx(account, ulong.MaxValue, int.MaxValue);
        return _store.IterateFrom(start, prefix, reverse: true).Take(limit).Select(kv => kv.Value).ToList();
    }

    private static void WriteState(WriteBatch batch, StateOverlay changes)
    {
        foreach (var (key, value) in changes.Writes)
        {
            if (value is null) batch.Delete(ChainKeys.StateKey(key));
            else batch.Put(ChainKeys.StateKey(key), value);
        }
    }
}
