using System.Text.Json.Nodes;
using ExCraft.Swaps.Bitcoin;
using NBitcoin;

namespace ExCraft.Swaps.Bitcoin.Tests;

/// <summary>Claim, refund and fee bump transactions checked offline with NBitcoin's script interpreter.</summary>
public sealed class HtlcSpendBuilderTests
{
    private static readonly Network Net = BitcoinNetworks.BcoinRegtest;
    private static readonly Key ClaimKey = new(Enumerable.Repeat((byte)0x03, 32).ToArray());
    private static readonly Key RefundKey = new(Enumerable.Repeat((byte)0x04, 32).ToArray());
    private static readonly byte[] Preimage = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly HtlcContract Contract = new(HtlcContract.HashOf(Preimage), ClaimKey.PubKey, RefundKey.PubKey, 2_000);
    private static readonly OutPoint Outpoint = new(uint256.Parse("aa00000000000000000000000000000000000000000000000000000000000001"), 0);
    private static readonly Money Amount = Money.Satoshis(1_000_000);
    private static readonly FeeRate Rate = new(Money.Satoshis(2_000));
    private static readonly Script Destination = new Key(Enumerable.Repeat((byte)0x05, 32).ToArray()).PubKey.WitHash.ScriptPubKey;

    private static ScriptError Verify(Transaction tx)
    {
        var coin = new Coin(Outpoint, new TxOut(Amount, Contract.ScriptPubKey));
        tx.Inputs.AsIndexedInputs().First().VerifyScript(coin, ScriptVerify.Standard, out var error);
        return error;
    }

    [Fact]
    public void Claim_spends_with_the_preimage_and_pays_amount_less_fee()
    {
        var claim = HtlcSpendBuilder.BuildClaim(Contract, Outpoint, Amount, ClaimKey, Preimage, Destination, Rate, Net);
        Assert.Equal(ScriptError.OK, Verify(claim));
        Assert.Equal(2u, claim.Version);
        Assert.Equal(0xfffffffdu, (uint)claim.Inputs[0].Sequence);
        Assert.Equal(Amount - Rate.GetFee(claim.GetVirtualSize()), claim.Outputs.Single().Value);
        Assert.Equal(Destination, claim.Outputs[0].ScriptPubKey);
        var spend = HtlcSpend.TryRead(Contract, claim, 0, null)!;
        Assert.Equal(HtlcSpendKind.Claim, spend.Kind);
        Assert.Equal(Preimage, spend.Preimage);
        Assert.Equal(Outpoint, spend.Spent);
    }

    [Fact]
    public void Refund_carries_the_timeout_as_lock_time_and_fails_the_script_below_it()
    {
        var refund = HtlcSpendBuilder.BuildRefund(Contract, Outpoint, Amount, RefundKey, Destination, Rate, Net);
        Assert.Equal(ScriptError.OK, Verify(refund));
        Assert.Equal(2_000, refund.LockTime.Height);
        Assert.Equal(HtlcSpendKind.Refund, HtlcSpend.TryRead(Contract, refund, 0, null)!.Kind);
        Assert.Null(HtlcSpend.TryRead(Contract, refund, 0, null)!.Preimage);

        var early = HtlcSpendBuilder.BuildRefundUnchecked(Contract, Outpoint, Amount, RefundKey, Destination, Rate, Net, 1_999);
        Assert.Equal(ScriptError.UnsatisfiedLockTime, Verify(early));
    }

    [Fact]
    public void Wrong_preimages_and_keys_fail_the_script_and_the_builder_refuses_them()
    {
        var wrong = Enumerable.Repeat((byte)0xee, 32).ToArray();
        Assert.Equal(ScriptError.EqualVerify, Verify(HtlcSpendBuilder.BuildClaimUnchecked(Contract, Outpoint, Amount, ClaimKey, wrong, Destination, Rate, Net)));
        Assert.Equal(ScriptError.EqualVerify, Verify(HtlcSpendBuilder.BuildClaimUnchecked(Contract, Outpoint, Amount, ClaimKey, Preimage[..31], Destination, Rate, Net)));
        // Signed by the refund key: CHECKSIG fails, and a failing non-empty signature is NULLFAIL under standard rules.
        Assert.Equal(ScriptError.NullFail, Verify(HtlcSpendBuilder.BuildClaimUnchecked(Contract, Outpoint, Amount, RefundKey, Preimage, Destination, Rate, Net)));

        Assert.Throws<ArgumentException>(() => HtlcSpendBuilder.BuildClaim(Contract, Outpoint, Amount, ClaimKey, wrong, Destination, Rate, Net));
        Assert.Throws<ArgumentException>(() => HtlcSpendBuilder.BuildClaim(Contract, Outpoint, Amount, ClaimKey, [.. Preimage, 0], Destination, Rate, Net));
        Assert.Throws<ArgumentException>(() => HtlcSpendBuilder.BuildClaim(Contract, Outpoint, Amount, RefundKey, Preimage, Destination, Rate, Net));
        Assert.Throws<ArgumentException>(() => HtlcSpendBuilder.BuildRefund(Contract, Outpoint, Amount, ClaimKey, Destination, Rate, Net));
        Assert.Throws<InvalidOperationException>(() => HtlcSpendBuilder.BuildClaim(Contract, Outpoint, Money.Satoshis(500), ClaimKey, Preimage, Destination, Rate, Net));
    }

    [Fact]
    public void Spends_of_other_scripts_are_not_read_as_htlc_spends()
    {
        var other = new HtlcContract(HtlcContract.HashOf(Preimage), ClaimKey.PubKey, RefundKey.PubKey, 2_001);
        var claim = HtlcSpendBuilder.BuildClaim(other, Outpoint, Amount, ClaimKey, Preimage, Destination, Rate, Net);
        Assert.Null(HtlcSpend.TryRead(Contract, claim, 0, null));
    }

    [Fact]
    public void Bump_pays_at_least_the_original_fee_plus_the_relay_increment_and_still_verifies()
    {
        var refund = HtlcSpendBuilder.BuildRefund(Contract, Outpoint, Amount, RefundKey, Destination, Rate, Net);
        var bumped = HtlcFeeBumper.BumpRefund(Contract, refund, Amount, RefundKey, new FeeRate(Money.Satoshis(2_500)), Net);
        Assert.Equal(ScriptError.OK, Verify(bumped));
        Assert.Equal(refund.LockTime, bumped.LockTime);
        Assert.Equal(Destination, bumped.Outputs[0].ScriptPubKey);
        // 2.5 sat/vB over 2 sat/vB adds less than 1 sat/vB, so BIP125 rule 4 sets the fee.
        var originalFee = HtlcFeeBumper.FeeOf(refund, Amount);
        Assert.True(HtlcFeeBumper.FeeOf(bumped, Amount) >= originalFee + Money.Satoshis(bumped.GetVirtualSize()));

        Assert.Throws<ArgumentException>(() => HtlcFeeBumper.BumpRefund(Contract, refund, Amount, RefundKey, Rate, Net));
        var final = refund.Clone();
        final.Inputs[0].Sequence = Sequence.Final;
        Assert.Throws<ArgumentException>(() => HtlcFeeBumper.BumpRefund(Contract, final, Amount, RefundKey, new FeeRate(Money.Satoshis(5_000)), Net));
    }

    [Theory]
    [InlineData("{\"feerate\":0.0002,\"blocks\":2}", 20_000)]
    [InlineData("{\"fee\":0.00001,\"blocks\":2}", 1_000)]
    [InlineData("{\"fee\":-1,\"blocks\":2}", -1)]
    [InlineData("{\"blocks\":2}", -1)]
    public void Fee_estimates_of_bitcoind_and_bcoin_are_read_per_kvb(string json, long satPerKvB)
    {
        var rate = FeeEstimator.ParseBtcPerKvB(JsonNode.Parse(json));
        Assert.Equal(satPerKvB < 0 ? null : new FeeRate(Money.Satoshis(satPerKvB)), rate);
    }
}
