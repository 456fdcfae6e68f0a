using System.Security.Cryptography;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Htlc;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Htlc;

/// <summary>
/// The preimage is exactly 32 bytes on every chain (Bitcoin's script checks OP_SIZE 32, the
/// Ethereum contract reverts PreimageLength). Here the hash lock is the SHA-256 of a 31- or
/// 33-byte secret, so only the length rule can refuse the claim: the mempool refuses it, and a
/// block that carries it anyway (a proposer skipping its mempool) rejects it without a state
/// write. The HTLC stays open and is refunded in full after its timeout.
/// </summary>
public sealed class HtlcPreimageLengthTests : IDisposable
{
    private readonly TestChain _t = new();
    private static readonly Address Alice = TestChain.Key(0).Address;
    private static readonly Address Bob = TestChain.Key(1).Address;
    private static readonly Address Dave = TestChain.Key(3).Address;
    private static readonly UInt128 Locked = Amount.FromWhole(10);
    private static readonly UInt128 Fee = TestChain.MinFee;

    public void Dispose() => _t.Dispose();

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void A_claim_whose_wrong_length_preimage_hashes_to_the_lock_is_refused_and_the_lock_refunds_in_full(int length)
    {
        var secret = Enumerable.Range(1, length).Select(i => (byte)i).ToArray();
        var timeout = _t.Chain.Head.Height + 4;
        Assert.True(_t.Submit(_t.Sign(0, new HtlcLockPayload(Bob, AssetSymbol.Native, Locked, SHA256.HashData(secret), timeout, Dave), 0)).Accepted);
        Assert.True(Assert.Single(_t.ProduceBlock().Receipts).Success);
        var id = HtlcRules.IdOf(Alice, 0);

        // The mempool refuses it as malformed.
        var claim = _t.Sign(1, new HtlcClaimPayload(id, secret), 0);
        var refused = _t.Submit(claim);
        Assert.Equal(RejectReason.Malformed, refused.Reason);
        Assert.Contains("preimage must be 32 bytes", refused.Error);
        Assert.Equal(0, _t.Mempool.Count);

        // Executed as part of a block, it is rejected before any state is touched.
        var overlay = new State.StateOverlay(_t.Chain.State);
        var e = Assert.Throws<TransactionRejectedException>(() => _t.Executor.Execute(new State.AccountState(overlay), claim, Bob, _t.NextBlock(), 0));
        Assert.Equal(RejectReason.Malformed, e.Reason);
        Assert.Equal($"htlc preimage must be exactly 32 bytes, got {length}", e.Message);
        Assert.Empty(overlay.Writes);

        var htlc = HtlcModule.Queries(_t.Chain.State).Get(id)!;
        Assert.Equal(HtlcStatus.Locked, htlc.Status);
        Assert.Null(htlc.Preimage);
        Assert.Equal(TestChain.StartBalance, _t.Balance(Bob));
        Assert.Equal(0UL, _t.Nonce(Bob));

        // After the timeout the whole amount goes back to the refund address.
        for (var i = 0; i < 10 && _t.Chain.Head.Height < timeout; i++) _t.ProduceBlock();
        Assert.True(_t.Submit(_t.Sign(1, new HtlcRefundPayload(id), 0)).Accepted);
        Assert.True(Assert.Single(_t.ProduceBlock().Receipts).Success);
        Assert.Equal(TestChain.StartBalance + Locked, _t.Balance(Dave));
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Bob));
        Assert.Equal(TestChain.StartBalance - Locked - Fee, _t.Balance(Alice));
        Assert.Equal(UInt128.Zero, HtlcModule.Queries(_t.Chain.State).Locked(AssetSymbol.Native));
    }
}
