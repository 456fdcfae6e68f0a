using ExCraft.Chain.Execution;
using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests;

public sealed class PersistenceAndDeterminismTests : IDisposable
{
    private readonly TestChain _a = new();
    private readonly TestChain _b = new();
    private static readonly Address Bob = TestChain.Key(1).Address;

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    /// <summary>Five blocks of mixed transactions from several accounts.</summary>
    private void ProduceHistory(TestChain t)
    {
        for (var round = 0; round < 5; round++)
        {
            for (var account = 0; account < 4; account++)
            {
                var nonce = t.Mempool.NextNonce(TestChain.Key(account).Address);
                Assert.True(t.Submit(t.Transfer(account, TestChain.Key((account + 1) % 4).Address, (UInt128)(1000 * (round + 1) + account), nonce)).Accepted);
            }
            if (round == 1) Assert.True(t.Submit(t.Sign(3, new IssueAssetPayload("SILVER", 8, 77_000), t.Mempool.NextNonce(TestChain.Key(3).Address))).Accepted);
            if (round == 2) Assert.True(t.Submit(t.Sign(2, new RegisterPayload(), t.Mempool.NextNonce(TestChain.Key(2).Address))).Accepted);
            t.ProduceBlock();
        }
    }

    [Fact]
    public void The_chain_hands_storage_the_node_layout_of_column_families()
    {
        // The names a node's data directory was always written with: changing them would make every existing directory refuse to open.
        Assert.Equal(["default", "blocks=42,43,45", "receipts=52,58,68"], _a.Store.ColumnFamilyNames);
    }

    [Fact]
    public void Restart_resumes_with_identical_head_state_and_history()
    {
        ProduceHistory(_a);
        var head = _a.Chain.Head;
        var balances = Enumerable.Range(0, 4).Select(i => _a.Balance(TestChain.Key(i).Address)).ToList();
        var block3 = _a.Chain.GetBlock(3)!.Encode();

        _a.Reopen();

        Assert.Equal(head.Height, _a.Chain.Head.Height);
        Assert.Equal(head.AppHash, _a.Chain.Head.AppHash);
        Assert.Equal(head.BlockHash, _a.Chain.Head.BlockHash);
        Assert.Equal(balances, Enumerable.Range(0, 4).Select(i => _a.Balance(TestChain.Key(i).Address)).ToList());
        Assert.Equal(block3, _a.Chain.GetBlock(3)!.Encode());
        Assert.Equal(5UL, _a.Nonce(TestChain.Key(0).Address));

        // The chain goes on from where it stopped, each block linking to the last.
        Assert.True(_a.Submit(_a.Transfer(0, Bob, 5, 5)).Accepted);
        var (next, _) = _a.ProduceBlock();
        Assert.Equal(6UL, next.Height);
        Assert.Equal(head.BlockHash, next.Header.PreviousHash);
        Assert.Equal(head.AppHash, next.Header.AppHash);
    }

    [Fact]
    public void Another_genesis_is_refused_on_an_existing_data_directory()
    {
        _a.Store.Dispose();
        using (var store = Storage.RocksDbStore.Open(_a.Directory, Store.ChainKeys.StoreOptions()))
        {
            var other = TestChain.MakeGenesis() with { ChainName = "other" };
            var e = Assert.Throws<GenesisException>(() => Blockchain.Open(store, other));
            Assert.Contains("belongs to the chain with genesis", e.Message);
        }
        _a.Reopen();
        Assert.Equal(0UL, _a.Chain.Head.Height);
    }

    [Fact]
    public void Two_nodes_applying_the_same_blocks_compute_the_same_app_hash()
    {
        ProduceHistory(_a);
        var importer = new BlockImporter(_b.Chain, new BlockExecutor(_b.Executor), new ParallelSignatureRecovery());
        for (ulong h = 1; h <= _a.Chain.Head.Height; h++)
        {
            var receipts = importer.Import(_a.Chain.GetBlock(h)!, _a.Chain.GetCommit(h)!);
            Assert.Equal(_a.Chain.GetBlock(h)!.Transactions.Select(t => _a.Chain.GetReceipt(t.Hash)!.Encode()), receipts.Select(r => r.Encode()));
        }
        Assert.Equal(_a.Chain.Head.Height, _b.Chain.Head.Height);
        Assert.Equal(_a.Chain.Head.BlockHash, _b.Chain.Head.BlockHash);
        Assert.Equal(_a.Chain.Head.AppHash, _b.Chain.Head.AppHash);
        Assert.Equal(
            _a.Chain.State.IteratePrefix([]).Select(kv => Convert.ToHexString(kv.Key) + "=" + Convert.ToHexString(kv.Value)),
            _b.Chain.State.IteratePrefix([]).Select(kv => Convert.ToHexString(kv.Key) + "=" + Convert.ToHexString(kv.Value)));
    }

    [Fact]
    public void Invalid_blocks_are_refused_and_change_nothing()
    {
        ProduceHistory(_a);
        var importer = new BlockImporter(_b.Chain, new BlockExecutor(_b.Executor), new ParallelSignatureRecovery());
        importer.Import(_a.Chain.GetBlock(1)!, _a.Chain.GetCommit(1)!);
        var good = _a.Chain.GetBlock(2)!;
        var commit = _a.Chain.GetCommit(2)!;
        var headBefore = _b.Chain.Head;

        var wrongAppHash = good with { Header = good.Header with { AppHash = new byte[32] } };
        AssertRefused("app hash", wrongAppHash, commit with { BlockHash = wrongAppHash.Hash });

        // The same header with another previous-commit body: execution would differ, so it must not pass for the same block.
        AssertRefused("last commit hash", good with { LastCommit = Commit.Empty }, commit);

        var dropped = good with { Transactions = good.Transactions.Skip(1).ToList() };
        AssertRefused("transactions root", dropped, commit);

        var forgedSignature = new CommitSignature(DevKeys.Validator.Address, TestChain.Key(0).Sign(Commit.SignBytes(TestChain.ChainId, 2, 0, good.Hash)));
        AssertRefused("signature", good, commit with { Signatures = [forgedSignature] });

        AssertRefused("more than 2/3", good, commit with { Signatures = [] });
        AssertRefused("does not follow", _a.Chain.GetBlock(3)!, _a.Chain.GetCommit(3)!);

        // A block whose transaction cannot pay its fee, signed properly by the validator.
        var broke = Transaction.Create(TestChain.ChainId, 0, TestChain.StartBalance * 10, new RegisterPayload(), TestChain.Key(3));
        var header = good.Header with { TransactionsRoot = Block.ComputeTransactionsRoot([broke]) };
        var forged = new Block(header, [broke], good.LastCommit);
        var forgedCommit = new Commit(2, 0, forged.Hash, [new CommitSignature(DevKeys.Validator.Address, DevKeys.Validator.Sign(Commit.SignBytes(TestChain.ChainId, 2, 0, forged.Hash)))]);
        AssertRefused("may not be included", forged, forgedCommit);

        Assert.Equal(headBefore, _b.Chain.Head);
        importer.Import(good, commit);
        Assert.Equal(_a.Chain.GetBlock(2)!.Hash, _b.Chain.Head.BlockHash);

        void AssertRefused(string reason, Block block, Commit c)
        {
            var e = Assert.Throws<InvalidBlockException>(() => importer.Import(block, c));
            Assert.Contains(reason, e.Message);
        }
    }

    [Fact]
    public void Account_index_lists_sent_and_received_transactions_newest_first()
    {
        ProduceHistory(_a);
        var bobs = _a.Chain.GetAccountTransactions(Bob, 100);
        // Bob sent one transfer per block and received one from account 0 per block.
        Assert.Equal(10, bobs.Count);
        var heights = bobs.Select(h => _a.Chain.GetReceipt(h)!.Height).ToList();
        Assert.Equal(heights.OrderByDescending(h => h), heights);
        Assert.Equal(3, _a.Chain.GetAccountTransactions(Bob, 3).Count);
    }

    [Fact]
    public void Pruning_keeps_the_last_bodies_and_every_receipt()
    {
        _a.Chain.PruneKeepBlocks = 2;
        ProduceHistory(_a);
        Assert.Null(_a.Chain.GetBlock(1));
        Assert.Null(_a.Chain.GetBlock(3));
        Assert.NotNull(_a.Chain.GetBlock(4));
        Assert.NotNull(_a.Chain.GetBlock(5));
        Assert.NotNull(_a.Chain.GetCommit(1));
        var early = _a.Chain.GetAccountTransactions(Bob, 100).Select(h => _a.Chain.GetReceipt(h)!).Where(r => r.Height == 1).ToList();
        Assert.NotEmpty(early);
    }
}
