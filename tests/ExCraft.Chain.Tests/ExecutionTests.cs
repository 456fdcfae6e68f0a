using ExCraft.Chain.Execution;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests;

public sealed class ExecutionTests : IDisposable
{
    private readonly TestChain _t = new();
    private static readonly Address Alice = TestChain.Key(0).Address;
    private static readonly Address Bob = TestChain.Key(1).Address;
    private static readonly Address Validator = Core.Genesis.DevKeys.Validator.Address;

    public void Dispose() => _t.Dispose();

    [Fact]
    public void Transfer_moves_amount_and_pays_fee_to_proposer()
    {
        var amount = Amount.Parse("12.5");
        Assert.True(_t.Submit(_t.Transfer(0, Bob, amount, 0)).Accepted);
        var (block, receipts) = _t.ProduceBlock();

        Assert.Single(block.Transactions);
        var receipt = Assert.Single(receipts);
        Assert.True(receipt.Success);
        Assert.Equal(TestChain.MinFee, receipt.FeePaid);
        Assert.Equal(TestChain.StartBalance - amount - TestChain.MinFee, _t.Balance(Alice));
        Assert.Equal(TestChain.StartBalance + amount, _t.Balance(Bob));
        Assert.Equal(TestChain.MinFee, _t.Balance(Validator));
        Assert.Equal(1UL, _t.Nonce(Alice));
        var e = Assert.Single(receipt.Events);
        Assert.Equal("transfer", e.Type);
        Assert.Equal(Alice.ToString(), e.Get("from"));
        Assert.Equal(Bob.ToString(), e.Get("to"));
        Assert.Equal("12500000000000000000", e.Get("amount"));
        Assert.Equal(receipt.TransactionHash, _t.Chain.GetReceipt(block.Transactions[0].Hash)!.TransactionHash);
    }

    [Fact]
    public void Issued_asset_can_be_transferred_and_duplicate_issue_fails_but_pays_fee()
    {
        Assert.True(_t.Submit(_t.Sign(0, new IssueAssetPayload("GOLD", 6, 1_000_000_000), 0)).Accepted);
        // The asset does not exist until its issue is committed, so the mempool refuses a transfer of it.
        Assert.Equal(RejectReason.UnknownAsset, _t.Submit(_t.Transfer(0, Bob, 250_000_000, 1, asset: "GOLD")).Reason);
        Assert.True(_t.Submit(_t.Sign(1, new IssueAssetPayload("GOLD", 2, 5), 0)).Accepted);
        var (_, first) = _t.ProduceBlock();
        Assert.True(_t.Submit(_t.Transfer(0, Bob, 250_000_000, 1, asset: "GOLD")).Accepted);
        var (_, second) = _t.ProduceBlock();
        var receipts = first.Concat(second).ToList();

        Assert.True(receipts[0].Success, receipts[0].Error);
        Assert.True(receipts[2].Success, receipts[2].Error);
        Assert.Equal(750_000_000UL, (ulong)_t.Balance(Alice, "GOLD"));
        Assert.Equal(250_000_000UL, (ulong)_t.Balance(Bob, "GOLD"));
        var asset = State.AccountState.ReadAsset(_t.Chain.State, "GOLD")!;
        Assert.Equal((byte)6, asset.Decimals);
        Assert.Equal(Alice, asset.Issuer);
        Assert.Equal((UInt128)1_000_000_000, asset.Supply);

        var duplicate = receipts[1];
        Assert.False(duplicate.Success);
        Assert.Contains("already exists", duplicate.Error);
        Assert.Equal(TestChain.StartBalance - TestChain.MinFee, _t.Balance(Bob));
        Assert.Equal(1UL, _t.Nonce(Bob));
    }

    [Fact]
    public void Failed_transfer_changes_only_fee_and_nonce()
    {
        // Mempool admission refuses an unaffordable transfer, so execute directly as an imported block would.
        var overlay = new State.StateOverlay(_t.Chain.State);
        var accounts = new State.AccountState(overlay);
        var tooMuch = _t.Transfer(0, Bob, TestChain.StartBalance, 0);
        var receipt = _t.Executor.Execute(accounts, tooMuch, Alice, _t.NextBlock(), 0);

        Assert.False(receipt.Success);
        Assert.Contains("insufficient EXT balance", receipt.Error);
        Assert.Empty(receipt.Events);
        Assert.Equal(TestChain.StartBalance - TestChain.MinFee, accounts.GetBalance(Alice, AssetSymbol.Native));
        Assert.Equal(TestChain.StartBalance, accounts.GetBalance(Bob, AssetSymbol.Native));
        Assert.Equal(1UL, accounts.GetNonce(Alice));
    }

    [Fact]
    public void Unknown_asset_transfer_fails_in_block_and_is_refused_by_mempool()
    {
        var tx = _t.Transfer(0, Bob, 1, 0, asset: "NOPE");
        var refused = _t.Submit(tx);
        Assert.Equal(RejectReason.UnknownAsset, refused.Reason);

        var accounts = new State.AccountState(new State.StateOverlay(_t.Chain.State));
        var receipt = _t.Executor.Execute(accounts, tx, Alice, _t.NextBlock(), 0);
        Assert.False(receipt.Success);
        Assert.Equal("unknown asset NOPE", receipt.Error);
    }

    [Fact]
    public void Register_once_then_again_fails()
    {
        _t.Submit(_t.Sign(2, new RegisterPayload(), 0));
        _t.Submit(_t.Sign(2, new RegisterPayload(), 1));
        var (_, receipts) = _t.ProduceBlock();
        Assert.True(receipts[0].Success);
        Assert.Equal("registered", receipts[0].Events[0].Type);
        Assert.False(receipts[1].Success);
        Assert.Contains("already registered", receipts[1].Error);
        Assert.True(new State.AccountState(new State.StateOverlay(_t.Chain.State)).IsRegistered(TestChain.Key(2).Address));
    }

    [Theory]
    [InlineData(RejectReason.WrongChain)]
    [InlineData(RejectReason.FeeTooLow)]
    [InlineData(RejectReason.NonceTooHigh)]
    [InlineData(RejectReason.InsufficientFunds)]
    public void Inclusion_checks_reject_without_touching_state(RejectReason reason)
    {
        var tx = reason switch
        {
            RejectReason.WrongChain => Transaction.Create(TestChain.ChainId + 1, 0, TestChain.MinFee, new TransferPayload(Bob, "EXT", 1), TestChain.Key(0)),
            RejectReason.FeeTooLow => _t.Transfer(0, Bob, 1, 0, fee: TestChain.MinFee - 1),
            RejectReason.NonceTooHigh => _t.Transfer(0, Bob, 1, 5),
            _ => _t.Transfer(0, Bob, 1, 0, fee: TestChain.StartBalance + 1),
        };
        var overlay = new State.StateOverlay(_t.Chain.State);
        var e = Assert.Throws<TransactionRejectedException>(() => _t.Executor.Execute(new State.AccountState(overlay), tx, Alice, _t.NextBlock(), 0));
        Assert.Equal(reason, e.Reason);
        Assert.Empty(overlay.Writes);
        Assert.Equal(reason, _t.Submit(tx).Reason);
        Assert.Equal(0, _t.Mempool.Count);
    }
}
