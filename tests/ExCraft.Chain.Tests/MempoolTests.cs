using ExCraft.Chain.Execution;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests;

public sealed class MempoolTests : IDisposable
{
    private readonly TestChain _t = new(new MempoolOptions(MaxTransactions: 4));
    private static readonly Address Bob = TestChain.Key(1).Address;

    public void Dispose() => _t.Dispose();

    [Fact]
    public void Nonce_gap_reuse_and_duplicate_each_have_their_own_error()
    {
        var first = _t.Transfer(0, Bob, 1, 0);
        Assert.True(_t.Submit(first).Accepted);

        var duplicate = _t.Submit(first);
        Assert.Equal(RejectReason.Duplicate, duplicate.Reason);
        Assert.Contains("already pending", duplicate.Error);

        var gap = _t.Submit(_t.Transfer(0, Bob, 1, 2));
        Assert.Equal(RejectReason.NonceTooHigh, gap.Reason);
        Assert.Contains("next nonce", gap.Error);

        var reuse = _t.Submit(_t.Transfer(0, Bob, 2, 0));
        Assert.Equal(RejectReason.NonceTooLow, reuse.Reason);
        Assert.Contains("already used by pending", reuse.Error);
        Assert.Equal(1, _t.Mempool.Count);
        Assert.Equal(1UL, _t.Mempool.NextNonce(TestChain.Key(0).Address));
    }

    [Fact]
    public void Higher_fee_replaces_pending_nonce()
    {
        Assert.True(_t.Submit(_t.Transfer(0, Bob, 1, 0)).Accepted);
        var better = _t.Transfer(0, Bob, 1, 0, fee: TestChain.MinFee * 2);
        Assert.True(_t.Submit(better).Accepted);
        Assert.Equal(1, _t.Mempool.Count);
        Assert.True(_t.Mempool.Contains(better.Hash));
    }

    [Fact]
    public void Pending_spend_counts_against_balance()
    {
        var half = TestChain.StartBalance / 2;
        Assert.True(_t.Submit(_t.Transfer(0, Bob, half, 0)).Accepted);
        var second = _t.Submit(_t.Transfer(0, Bob, half, 1));
        Assert.Equal(RejectReason.InsufficientFunds, second.Reason);
        Assert.Contains("pending transactions and this one need", second.Error);
    }

    [Fact]
    public void Pending_spend_is_released_when_transactions_leave_or_are_replaced()
    {
        var alice = TestChain.Key(0).Address;
        var third = TestChain.StartBalance / 3;
        Assert.True(_t.Submit(_t.Transfer(0, Bob, third, 0)).Accepted);
        Assert.True(_t.Submit(_t.Transfer(0, Bob, third, 1)).Accepted);
        // A replacement counts instead of the one it replaces, not on top of it.
        Assert.True(_t.Submit(_t.Transfer(0, Bob, third + 5, 1, fee: TestChain.MinFee * 2)).Accepted);
        _t.ProduceBlock();
        Assert.Equal(0, _t.Mempool.Count);
        // Everything left can be spent again, to the last base unit.
        var left = _t.Balance(alice);
        Assert.Equal(RejectReason.InsufficientFunds, _t.Submit(_t.Transfer(0, Bob, left - TestChain.MinFee + 1, 2)).Reason);
        Assert.True(_t.Submit(_t.Transfer(0, Bob, left - TestChain.MinFee, 2)).Accepted);
    }

    [Fact]
    public void Full_pool_evicts_cheapest_for_better_fee_and_refuses_cheaper()
    {
        for (var i = 0; i < 4; i++) Assert.True(_t.Submit(_t.Transfer(i, Bob, 1, 0, fee: TestChain.MinFee + (UInt128)i)).Accepted);
        var cheap = _t.Submit(_t.Transfer(0, Bob, 1, 1, fee: TestChain.MinFee));
        Assert.Equal(RejectReason.MempoolFull, cheap.Reason);

        var rich = _t.Transfer(0, Bob, 1, 1, fee: TestChain.MinFee * 10);
        Assert.True(_t.Submit(rich).Accepted);
        Assert.Equal(4, _t.Mempool.Count);
        // Account 0's nonce-0 transaction (the cheapest) could not go, since its nonce-1 one depends on it; account 1's did.
        var selected = _t.Mempool.SelectForBlock(10, 1 << 20);
        Assert.DoesNotContain(selected, e => e.Sender == TestChain.Key(1).Address);
    }

    [Fact]
    public void Block_selection_is_by_fee_across_accounts_and_by_nonce_within_one()
    {
        _t.Submit(_t.Transfer(0, Bob, 1, 0, fee: TestChain.MinFee));
        _t.Submit(_t.Transfer(0, Bob, 1, 1, fee: TestChain.MinFee * 9));
        _t.Submit(_t.Transfer(2, Bob, 1, 0, fee: TestChain.MinFee * 5));
        var order = _t.Mempool.SelectForBlock(10, 1 << 20).Select(e => (e.Sender, e.Nonce)).ToList();
        Assert.Equal([(TestChain.Key(2).Address, 0UL), (TestChain.Key(0).Address, 0UL), (TestChain.Key(0).Address, 1UL)], order);
    }

    [Fact]
    public void After_a_block_included_and_stale_transactions_leave_the_pool()
    {
        _t.Submit(_t.Transfer(0, Bob, 1, 0));
        _t.Submit(_t.Transfer(0, Bob, 1, 1));
        var (block, _) = _t.ProduceBlock();
        Assert.Equal(2, block.Transactions.Count);
        Assert.Equal(0, _t.Mempool.Count);
        Assert.Equal(0, _t.Mempool.Bytes);
        var stale = _t.Submit(_t.Transfer(0, Bob, 1, 1));
        Assert.Equal(RejectReason.NonceTooLow, stale.Reason);
    }

    [Fact]
    public void Bad_signature_and_malformed_bytes_are_refused()
    {
        var tx = _t.Transfer(0, Bob, 1, 0);
        // The same signature in its high-S form (s' = n - s, recovery id flipped) recovers the same key but is not canonical.
        var n = System.Numerics.BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);
        var s = new System.Numerics.BigInteger(tx.Signature.ToBytes().AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var highS = new byte[65];
        tx.Signature.ToBytes().AsSpan(0, 32).CopyTo(highS);
        (n - s).TryWriteBytes(highS.AsSpan(32, 32), out _, isUnsigned: true, isBigEndian: true);
        highS[64] = (byte)(tx.Signature.RecoveryId ^ 1);
        var unsigned = Transaction.EncodeUnsigned(tx.ChainId, tx.Nonce, tx.Fee, tx.Payload);
        var result = _t.Ingress.Submit(Core.Encoding.Rlp.AppendToList(unsigned, Core.Encoding.Rlp.EncodeBytes(highS)));
        Assert.Equal(RejectReason.BadSignature, result.Reason);
        Assert.Contains("high-S", result.Error);

        var garbage = _t.Ingress.Submit([0xf8, 0xff, 0x01]);
        Assert.Equal(RejectReason.Malformed, garbage.Reason);
        Assert.StartsWith("malformed transaction", garbage.Error);
        Assert.Equal(0, _t.Mempool.Count);
    }

    [Fact]
    public void Admission_between_a_commit_and_the_pool_cleanup_continues_the_sequence()
    {
        var alice = TestChain.Key(0).Address;
        for (ulong n = 0; n < 3; n++) Assert.True(_t.Submit(_t.Transfer(0, Bob, 1, n)).Accepted);
        // Commit a block holding nonces 0 and 1, as the producer does, but before the pool hears of it.
        var head = _t.Chain.Head;
        var entries = _t.Mempool.SelectForBlock(2, 1 << 20);
        var execution = new BlockExecutor(_t.Executor).Execute(_t.Chain.State, _t.NextBlock(), entries.Select(e => (e.Transaction, e.Sender)), skipRejected: false);
        var header = new Core.Blocks.BlockHeader(TestChain.ChainId, 1, 2_000, head.BlockHash, Core.Blocks.Commit.Empty.Hash(), Core.Blocks.Block.ComputeTransactionsRoot(execution.Included), head.AppHash, Core.Genesis.DevKeys.Validator.Address);
        var block = new Core.Blocks.Block(header, execution.Included, Core.Blocks.Commit.Empty);
        _t.Chain.CommitBlock(block, Core.Blocks.Commit.Empty, execution, State.AppHash.Next(head.AppHash, execution.Changes.Writes));
        Assert.Equal(2UL, _t.Nonce(alice));

        Assert.Equal(3UL, _t.Mempool.NextNonce(alice));
        Assert.True(_t.Submit(_t.Transfer(0, Bob, 1, 3)).Accepted);
        Assert.Equal(RejectReason.NonceTooHigh, _t.Submit(_t.Transfer(0, Bob, 1, 5)).Reason);
        Assert.Equal(RejectReason.NonceTooLow, _t.Submit(_t.Transfer(0, Bob, 2, 1)).Reason);

        _t.Mempool.OnBlockCommitted(execution.Included, [alice]);
        Assert.Equal([2UL, 3UL], _t.Mempool.SelectForBlock(10, 1 << 20).Select(e => e.Nonce));
    }

    [Fact]
    public void After_a_block_only_its_senders_are_rechecked_against_the_new_balance_with_the_spend_stored_at_admission()
    {
        var alice = TestChain.Key(0).Address;
        var carol = TestChain.Key(2).Address;
        Assert.True(_t.Submit(_t.Transfer(0, Bob, 1, 0)).Accepted);
        Assert.True(_t.Submit(_t.Transfer(0, Bob, Amount.FromWhole(600), 1)).Accepted);
        Assert.True(_t.Submit(_t.Transfer(2, Bob, Amount.FromWhole(900), 0)).Accepted);

        // A block from elsewhere spends 500 of Alice's 1,000 EXT with her nonce 0 (another transaction than the pending one).
        var head = _t.Chain.Head;
        var execution = new BlockExecutor(_t.Executor).Execute(_t.Chain.State, _t.NextBlock(), [(_t.Transfer(0, Bob, Amount.FromWhole(500), 0), alice)], skipRejected: false);
        var header = new Core.Blocks.BlockHeader(TestChain.ChainId, 1, 2_000, head.BlockHash, Core.Blocks.Commit.Empty.Hash(), Core.Blocks.Block.ComputeTransactionsRoot(execution.Included), head.AppHash, Core.Genesis.DevKeys.Validator.Address);
        _t.Chain.CommitBlock(new Core.Blocks.Block(header, execution.Included, Core.Blocks.Commit.Empty), Core.Blocks.Commit.Empty, execution, State.AppHash.Next(head.AppHash, execution.Changes.Writes));
        _t.Mempool.OnBlockCommitted(execution);

        // Alice's stale nonce 0 and her 600 transfer she can no longer pay leave; Carol, not in the block, keeps hers.
        Assert.Equal([(carol, 0UL)], _t.Mempool.SelectForBlock(10, 1 << 20).Select(e => (e.Sender, e.Nonce)));
        Assert.Equal(1, _t.Mempool.Count);
        // What the removed entries counted against Alice is released: 499 of her 499.999999999999999 EXT are admitted, 1 more is not.
        Assert.True(_t.Submit(_t.Transfer(0, Bob, Amount.FromWhole(499), 1)).Accepted);
        Assert.Equal(RejectReason.InsufficientFunds, _t.Submit(_t.Transfer(0, Bob, Amount.FromWhole(1), 2)).Reason);
    }

    /// <summary>
    /// A block can commit between the pool's read of a sender's nonce and its read of the
    /// balances: the balance then already paid for a pending transaction that the old nonce still
    /// counts. Here the "block" (nonce + 1, the first transfer's spend out of the balance) lands
    /// exactly there, and the second transfer, which the balance covers to the unit, is admitted.
    /// </summary>
    [Fact]
    public void A_block_committed_between_the_nonce_and_balance_reads_does_not_refuse_a_transaction_that_fits()
    {
        var alice = TestChain.Key(0).Address;
        var balance = _t.Balance(alice);
        var fee = TestChain.MinFee;
        var firstAmount = balance / 3;
        var secondAmount = balance - firstAmount - 2 * fee; // the two together spend the balance to the unit
        var committed = new CommitDuringRead(_t.Chain.State, AccountsKeysBalance(alice));
        var pool = new TransactionPool(_t.Executor, committed, new MempoolOptions());
        pool.Add(_t.Transfer(0, Bob, firstAmount, 0, fee), alice);

        committed.CommitOnNextRead = state =>
        {
            new AccountState(state).SetNonce(alice, 1);
            StateAmounts.WriteOrDelete(state, AccountsKeysBalance(alice), balance - firstAmount - fee);
        };
        var second = pool.Add(_t.Transfer(0, Bob, secondAmount, 1, fee), alice);

        Assert.Equal(1UL, second.Nonce);
        Assert.Null(committed.CommitOnNextRead); // the commit did land between the reads
        // One unit more than the balance covers is still refused.
        var third = Assert.Throws<TransactionRejectedException>(() => pool.Add(_t.Transfer(0, Bob, 1, 2, fee), alice));
        Assert.Equal(RejectReason.InsufficientFunds, third.Reason);
    }

    private static byte[] AccountsKeysBalance(Address account) => Modules.Accounts.AccountsKeys.Balance(account, AssetSymbol.Native);

    /// <summary>Committed state that takes a "block" (changes written to it) the first time a given key is read after it is armed.</summary>
    private sealed class CommitDuringRead(IStateReader committed, byte[] trigger) : IStateReader
    {
        private readonly StateOverlay _state = new(committed);

        public Action<StateOverlay>? CommitOnNextRead { get; set; }

        public byte[]? Get(byte[] key)
        {
            if (CommitOnNextRead is { } commit && key.AsSpan().SequenceEqual(trigger))
            {
                CommitOnNextRead = null;
                commit(_state);
            }
            return _state.Get(key);
        }

        public IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(byte[] prefix) => _state.IteratePrefix(prefix);

        public IReadOnlyList<KeyValuePair<byte[], byte[]>> IteratePrefixFrom(byte[] prefix, byte[]? startAfter, int limit) => _state.IteratePrefixFrom(prefix, startAfter, limit);
    }
}
