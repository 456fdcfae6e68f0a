using System.Buffers.Binary;
using System.Security.Cryptography;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Htlc;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Htlc;

/// <summary>The htlc module's rules on a real single-validator chain: every refusal leaves balances and the HTLC exactly as they were, but for the fee.</summary>
public sealed class HtlcTests : IDisposable
{
    private readonly TestChain _t = new();
    private static readonly Address Alice = TestChain.Key(0).Address;
    private static readonly Address Bob = TestChain.Key(1).Address;
    private static readonly Address Carol = TestChain.Key(2).Address;
    private static readonly Address Dave = TestChain.Key(3).Address;
    private static readonly UInt128 Locked = Amount.FromWhole(10);
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] HashLock = SHA256.HashData(Secret);
    private static readonly UInt128 Fee = TestChain.MinFee;

    public void Dispose() => _t.Dispose();

    private HtlcQueries Queries => HtlcModule.Queries(_t.Chain.State);

    /// <summary>Submits one transaction, makes a block of it and returns its receipt.</summary>
    private Receipt Run(int from, TxPayload payload, ulong nonce)
    {
        var submitted = _t.Submit(_t.Sign(from, payload, nonce));
        Assert.True(submitted.Accepted, submitted.Error);
        return Assert.Single(_t.ProduceBlock().Receipts);
    }

    /// <summary>Alice (nonce 0) locks 10 EXT for Bob, refundable to Dave, timing out `blocks` blocks after the lock's block.</summary>
    private (byte[] Id, ulong LockHeight) Lock(ulong blocks = 5)
    {
        var lockHeight = _t.Chain.Head.Height + 1;
        var receipt = Run(0, new HtlcLockPayload(Bob, AssetSymbol.Native, Locked, HashLock, lockHeight + blocks, Dave), 0);
        Assert.True(receipt.Success, receipt.Error);
        return (HtlcRules.IdOf(Alice, 0), lockHeight);
    }

    private void EmptyBlocksUntil(ulong height)
    {
        for (var i = 0; i < 100 && _t.Chain.Head.Height < height; i++) _t.ProduceBlock();
        Assert.Equal(height, _t.Chain.Head.Height);
    }

    [Fact]
    public void Lock_moves_the_amount_from_the_sender_into_escrow_and_records_the_terms()
    {
        var lockHeight = _t.Chain.Head.Height + 1;
        var receipt = Run(0, new HtlcLockPayload(Bob, AssetSymbol.Native, Locked, HashLock, lockHeight + 5, Dave), 0);

        Assert.True(receipt.Success, receipt.Error);
        var id = HtlcRules.IdOf(Alice, 0);
        Assert.Equal(TestChain.StartBalance - Locked - Fee, _t.Balance(Alice));
        Assert.Equal(TestChain.StartBalance, _t.Balance(Bob));
        Assert.Equal(TestChain.StartBalance, _t.Balance(Dave));
        Assert.Equal(Locked, Queries.Locked(AssetSymbol.Native));

        var e = Assert.Single(receipt.Events);
        Assert.Equal(HtlcModule.Events.Locked, e.Type);
        Assert.Equal(Hex.Encode(id), e.Get("id"));
        Assert.Equal(Alice.ToString(), e.Get("sender"));
        Assert.Equal(Bob.ToString(), e.Get("recipient"));
        Assert.Equal("EXT", e.Get("asset"));
        Assert.Equal("10000000000000000000", e.Get("amount"));
        Assert.Equal(Hex.Encode(HashLock), e.Get("hashLock"));
        Assert.Equal((lockHeight + 5).ToString(), e.Get("timeoutHeight"));
        Assert.Equal(Dave.ToString(), e.Get("refundAddress"));

        var htlc = Queries.Get(id)!;
        Assert.Equal((Alice, Bob, Dave, "EXT", Locked), (htlc.Sender, htlc.Recipient, htlc.RefundAddress, htlc.Asset, htlc.Amount));
        Assert.Equal(HashLock, htlc.HashLock);
        Assert.Equal((lockHeight + 5, lockHeight, HtlcStatus.Locked), (htlc.TimeoutHeight, htlc.LockHeight, htlc.Status));
        Assert.Null(htlc.Preimage);

        // Listed under the sender and the recipient, not under the refund address.
        Assert.Equal(id, Assert.Single(Queries.ByAccount(Alice, 10).Htlcs).Id);
        Assert.Equal(id, Assert.Single(Queries.ByAccount(Bob, 10).Htlcs).Id);
        Assert.Empty(Queries.ByAccount(Dave, 10).Htlcs);
        Assert.Equal(id, Assert.Single(Queries.ByHashLock(HashLock)).Id);
        Assert.Empty(Queries.ByHashLock(SHA256.HashData(HashLock)));
        Assert.Empty(Queries.ByHashLock([1, 2, 3]));
    }

    [Fact]
    public void The_id_is_keccak256_of_sender_and_the_lock_nonce()
    {
        // The lock is Alice's second transaction, so its id uses nonce 1.
        Assert.True(Run(0, new TransferPayload(Carol, AssetSymbol.Native, 1), 0).Success);
        var receipt = Run(0, new HtlcLockPayload(Bob, AssetSymbol.Native, Locked, HashLock, _t.Chain.Head.Height + 10, Alice), 1);

        var input = new byte[28];
        Alice.WriteTo(input);
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(20), 1);
        var expected = Keccak256.Hash(input);
        Assert.Equal(Hex.Encode(expected), Assert.Single(receipt.Events).Get("id"));
        Assert.NotNull(Queries.Get(expected));
        Assert.Null(Queries.Get(HtlcRules.IdOf(Alice, 0)));
    }

    [Fact]
    public void Claim_with_the_preimage_pays_the_recipient_whoever_submits_it_and_reveals_the_preimage()
    {
        var (id, _) = Lock();
        // Carol, a third party, submits the claim: Bob gets the amount, Carol pays only the fee.
        var receipt = Run(2, new HtlcClaimPayload(id, Secret), 0);

        Assert.True(receipt.Success, receipt.Error);
        Assert.Equal(TestChain.StartBalance + Locked, _t.Balance(Bob));
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Carol));
        Assert.Equal(TestChain.StartBalance - Locked - Fee, _t.Balance(Alice));
        Assert.Equal(TestChain.StartBalance, _t.Balance(Dave));
        Assert.Equal(UInt128.Zero, Queries.Locked(AssetSymbol.Native));

        var e = Assert.Single(receipt.Events);
        Assert.Equal(HtlcModule.Events.Claimed, e.Type);
        Assert.Equal(Hex.Encode(id), e.Get("id"));
        Assert.Equal(Hex.Encode(Secret), e.Get("preimage"));
        Assert.Equal(Bob.ToString(), e.Get("recipient"));
        Assert.Equal(Alice.ToString(), e.Get("sender"));
        Assert.Equal(Carol.ToString(), e.Get("claimer"));
        // The lock's sender, who waits for the secret, finds the claim in its own history.
        Assert.Contains(Alice, receipt.AccountsTouched());
        Assert.Equal("10000000000000000000", e.Get("amount"));

        var htlc = Queries.Get(id)!;
        Assert.Equal(HtlcStatus.Claimed, htlc.Status);
        Assert.Equal(Secret, htlc.Preimage);
        Assert.Equal(_t.Chain.Head.Height, htlc.SettledHeight);
    }

    [Fact]
    public void Claim_with_a_wrong_preimage_fails_and_changes_nothing_but_the_fee()
    {
        var (id, _) = Lock();
        var wrong = (byte[])Secret.Clone();
        wrong[31] ^= 1;
        var receipt = Run(1, new HtlcClaimPayload(id, wrong), 0);

        Assert.False(receipt.Success);
        Assert.Contains("does not match the hash lock", receipt.Error);
        Assert.Empty(receipt.Events);
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Bob));
        Assert.Equal(Locked, Queries.Locked(AssetSymbol.Native));
        Assert.Equal(HtlcStatus.Locked, Queries.Get(id)!.Status);
        Assert.Null(Queries.Get(id)!.Preimage);
    }

    [Fact]
    public void Claim_at_or_after_the_timeout_height_fails_and_changes_nothing_but_the_fee()
    {
        var (id, lockHeight) = Lock(blocks: 3);
        EmptyBlocksUntil(lockHeight + 2); // the claim lands in block lockHeight + 3, the timeout height
        var receipt = Run(1, new HtlcClaimPayload(id, Secret), 0);

        Assert.Equal(lockHeight + 3, _t.Chain.Head.Height);
        Assert.False(receipt.Success);
        Assert.Contains("timed out", receipt.Error);
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Bob));
        Assert.Equal(Locked, Queries.Locked(AssetSymbol.Native));
        Assert.Equal(HtlcStatus.Locked, Queries.Get(id)!.Status);
    }

    [Fact]
    public void Claim_in_the_last_block_before_the_timeout_succeeds()
    {
        var (id, lockHeight) = Lock(blocks: 3);
        EmptyBlocksUntil(lockHeight + 1);
        var receipt = Run(1, new HtlcClaimPayload(id, Secret), 0);

        Assert.Equal(lockHeight + 2, _t.Chain.Head.Height);
        Assert.True(receipt.Success, receipt.Error);
        Assert.Equal(TestChain.StartBalance + Locked - Fee, _t.Balance(Bob));
    }

    [Fact]
    public void A_second_claim_fails_and_pays_nothing_twice()
    {
        var (id, _) = Lock();
        Assert.True(Run(1, new HtlcClaimPayload(id, Secret), 0).Success);
        var again = Run(1, new HtlcClaimPayload(id, Secret), 1);

        Assert.False(again.Success);
        Assert.Contains("already claimed", again.Error);
        Assert.Equal(TestChain.StartBalance + Locked - 2 * Fee, _t.Balance(Bob));
        Assert.Equal(UInt128.Zero, Queries.Locked(AssetSymbol.Native));
    }

    [Fact]
    public void Refund_before_the_timeout_height_fails_and_changes_nothing_but_the_fee()
    {
        var (id, lockHeight) = Lock(blocks: 3);
        EmptyBlocksUntil(lockHeight + 1);
        var receipt = Run(3, new HtlcRefundPayload(id), 0); // block lockHeight + 2, one below the timeout

        Assert.False(receipt.Success);
        Assert.Contains("before its timeout height", receipt.Error);
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Dave));
        Assert.Equal(Locked, Queries.Locked(AssetSymbol.Native));
        Assert.Equal(HtlcStatus.Locked, Queries.Get(id)!.Status);
    }

    [Fact]
    public void Refund_from_the_timeout_height_pays_the_refund_address_whoever_submits_it()
    {
        var (id, lockHeight) = Lock(blocks: 3);
        EmptyBlocksUntil(lockHeight + 2);
        var receipt = Run(2, new HtlcRefundPayload(id), 0); // Carol submits; Dave is the refund address

        Assert.Equal(lockHeight + 3, _t.Chain.Head.Height);
        Assert.True(receipt.Success, receipt.Error);
        Assert.Equal(TestChain.StartBalance + Locked, _t.Balance(Dave));
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Carol));
        Assert.Equal(TestChain.StartBalance - Locked - Fee, _t.Balance(Alice));
        Assert.Equal(TestChain.StartBalance, _t.Balance(Bob));
        Assert.Equal(UInt128.Zero, Queries.Locked(AssetSymbol.Native));
        var e = Assert.Single(receipt.Events);
        Assert.Equal(HtlcModule.Events.Refunded, e.Type);
        Assert.Equal(Dave.ToString(), e.Get("refundAddress"));
        Assert.Equal(Alice.ToString(), e.Get("sender"));
        Assert.Equal("10000000000000000000", e.Get("amount"));
        Assert.Equal(new[] { Alice, Bob, Carol, Dave }.Order().ToList(), receipt.AccountsTouched().ToList());
        Assert.Equal(HtlcStatus.Refunded, Queries.Get(id)!.Status);

        // Refunded for good: neither a claim nor a second refund takes anything.
        var claim = Run(1, new HtlcClaimPayload(id, Secret), 0);
        var refund = Run(2, new HtlcRefundPayload(id), 1);
        Assert.False(claim.Success);
        Assert.False(refund.Success);
        Assert.Contains("already refunded", refund.Error);
        Assert.Equal(TestChain.StartBalance + Locked, _t.Balance(Dave));
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Bob));
    }

    [Fact]
    public void Refund_after_a_claim_fails_and_changes_nothing_but_the_fee()
    {
        var (id, lockHeight) = Lock(blocks: 3);
        Assert.True(Run(1, new HtlcClaimPayload(id, Secret), 0).Success);
        EmptyBlocksUntil(lockHeight + 3);
        var receipt = Run(3, new HtlcRefundPayload(id), 0);

        Assert.False(receipt.Success);
        Assert.Contains("already claimed", receipt.Error);
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Dave));
        Assert.Equal(TestChain.StartBalance + Locked - Fee, _t.Balance(Bob));
        Assert.Equal(HtlcStatus.Claimed, Queries.Get(id)!.Status);
    }

    [Fact]
    public void Claim_or_refund_of_an_unknown_id_fails()
    {
        var unknown = HtlcRules.IdOf(Carol, 9);
        var claim = Run(1, new HtlcClaimPayload(unknown, Secret), 0);
        var refund = Run(1, new HtlcRefundPayload(unknown), 1);
        Assert.False(claim.Success);
        Assert.False(refund.Success);
        Assert.Contains("does not exist", claim.Error);
        Assert.Equal(TestChain.StartBalance - 2 * Fee, _t.Balance(Bob));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(0)]
    public void A_preimage_that_is_not_32_bytes_is_refused_as_malformed(int length)
    {
        var (id, _) = Lock();
        var payload = new HtlcClaimPayload(id, new byte[length]);
        var refused = _t.Submit(_t.Sign(1, payload, 0));

        Assert.Equal(RejectReason.Malformed, refused.Reason);
        Assert.Contains("preimage must be 32 bytes", refused.Error);
        Assert.Equal("htlc preimage must be exactly 32 bytes, got " + length, Modules.ModuleRegistry.CheckStateless(payload));
        Assert.Equal(0, _t.Mempool.Count);
        Assert.Equal(TestChain.StartBalance, _t.Balance(Bob));
    }

    [Fact]
    public void A_lock_with_bad_terms_is_refused_and_moves_nothing()
    {
        var height = _t.Chain.Head.Height;
        // Stateless: a hash that is not 32 bytes, a zero amount, a bad symbol.
        Assert.Equal(RejectReason.Malformed, _t.Submit(_t.Sign(0, new HtlcLockPayload(Bob, "EXT", Locked, new byte[31], height + 5, Alice), 0)).Reason);
        Assert.Equal(RejectReason.Malformed, _t.Submit(_t.Sign(0, new HtlcLockPayload(Bob, "EXT", 0, HashLock, height + 5, Alice), 0)).Reason);
        Assert.Equal(RejectReason.Malformed, _t.Submit(_t.Sign(0, new HtlcLockPayload(Bob, "ext", Locked, HashLock, height + 5, Alice), 0)).Reason);
        // The mempool checks the declared spend: more than the balance, or an asset that does not exist.
        Assert.Equal(RejectReason.InsufficientFunds, _t.Submit(_t.Sign(0, new HtlcLockPayload(Bob, "EXT", TestChain.StartBalance, HashLock, height + 5, Alice), 0)).Reason);
        Assert.Equal(RejectReason.UnknownAsset, _t.Submit(_t.Sign(0, new HtlcLockPayload(Bob, "GOLD", 1, HashLock, height + 5, Alice), 0)).Reason);

        // A timeout at or below the lock's own block fails in the block.
        var receipt = Run(0, new HtlcLockPayload(Bob, "EXT", Locked, HashLock, height + 1, Alice), 0);
        Assert.Equal(height + 1, _t.Chain.Head.Height);
        Assert.False(receipt.Success);
        Assert.Contains("must be above the lock's block height", receipt.Error);
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Alice));
        Assert.Equal(UInt128.Zero, Queries.Locked(AssetSymbol.Native));
        Assert.Null(Queries.Get(HtlcRules.IdOf(Alice, 0)));
        Assert.Empty(Queries.ByAccount(Alice, 10).Htlcs);
    }

    [Fact]
    public void Supply_is_conserved_with_the_locked_amount_counted_in_escrow()
    {
        const string gold = "GOLD";
        const ulong supply = 1_000_000;
        Assert.True(Run(0, new IssueAssetPayload(gold, 2, supply), 0).Success);
        var accounts = new[] { Alice, Bob, Carol, Dave };
        UInt128 Held() => accounts.Aggregate(UInt128.Zero, (sum, a) => sum + _t.Balance(a, gold)) + Queries.Locked(gold);

        var height = _t.Chain.Head.Height;
        Assert.True(Run(0, new HtlcLockPayload(Bob, gold, 300_000, HashLock, height + 10, Alice), 1).Success);
        Assert.True(Run(0, new HtlcLockPayload(Carol, gold, 200_000, HashLock, height + 3, Dave), 2).Success);
        Assert.Equal((UInt128)500_000, Queries.Locked(gold));
        Assert.Equal([(gold, (UInt128)500_000)], Queries.AllLocked());
        Assert.Equal((UInt128)supply, Held());

        Assert.True(Run(1, new HtlcClaimPayload(HtlcRules.IdOf(Alice, 1), Secret), 0).Success);
        Assert.Equal((UInt128)supply, Held());
        EmptyBlocksUntil(height + 3);
        Assert.True(Run(1, new HtlcRefundPayload(HtlcRules.IdOf(Alice, 2)), 1).Success);

        Assert.Equal((UInt128)supply, Held());
        Assert.Equal((UInt128)supply, State.AccountState.ReadAsset(_t.Chain.State, gold)!.Supply);
        Assert.Equal((UInt128)500_000, _t.Balance(Alice, gold));
        Assert.Equal((UInt128)300_000, _t.Balance(Bob, gold));
        Assert.Equal((UInt128)200_000, _t.Balance(Dave, gold));
        Assert.Equal(UInt128.Zero, _t.Balance(Carol, gold));
        Assert.Empty(Queries.AllLocked());
    }

    [Fact]
    public void An_account_list_is_paged_in_lock_order_and_survives_a_restart()
    {
        var ids = new List<byte[]>();
        for (ulong n = 0; n < 3; n++)
        {
            Assert.True(Run(0, new HtlcLockPayload(Bob, "EXT", 1_000 + n, HashLock, _t.Chain.Head.Height + 50, Alice), n).Success);
            ids.Add(HtlcRules.IdOf(Alice, n));
        }
        Assert.True(Run(1, new HtlcLockPayload(Carol, "EXT", 7, HashLock, _t.Chain.Head.Height + 50, Bob), 0).Success);
        Assert.True(Run(1, new HtlcClaimPayload(ids[1], Secret), 1).Success);
        _t.Reopen();

        var first = Queries.ByAccount(Alice, 2);
        Assert.Equal([Hex.Encode(ids[0]), Hex.Encode(ids[1])], first.Htlcs.Select(h => Hex.Encode(h.Id)));
        Assert.Equal(ids[1], first.Next);
        var second = Queries.ByAccount(Alice, 2, first.Next);
        Assert.Equal(Hex.Encode(ids[2]), Hex.Encode(Assert.Single(second.Htlcs).Id));
        Assert.Null(second.Next);

        // Bob is recipient of Alice's three and sender of his own; the claimed one is still listed, settled.
        var bob = Queries.ByAccount(Bob, 100);
        Assert.Equal(4, bob.Htlcs.Count);
        Assert.Equal(HtlcStatus.Claimed, bob.Htlcs[1].Status);
        Assert.Equal(Secret, bob.Htlcs[1].Preimage);
        Assert.Equal(Bob, bob.Htlcs[3].Sender);
        Assert.Throws<ArgumentOutOfRangeException>(() => Queries.ByAccount(Bob, HtlcQueries.MaxPageSize + 1));
    }
}
