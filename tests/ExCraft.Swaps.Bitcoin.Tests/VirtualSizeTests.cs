using ExCraft.Swaps.Bitcoin;
using NBitcoin;
using Xunit.Abstractions;

namespace ExCraft.Swaps.Bitcoin.Tests;

/// <summary>
/// The on-chain cost of each HTLC transaction in virtual bytes (the figures in
/// docs/swaps-bitcoin.md), for a mainnet-like timeout height (three-byte CLTV push) and fixed
/// keys, so the signatures and therefore the sizes are reproducible.
/// </summary>
public sealed class VirtualSizeTests(ITestOutputHelper output)
{
    private static readonly Network Net = BitcoinNetworks.Mainnet;
    private static readonly Key ClaimKey = new(Enumerable.Repeat((byte)0x21, 32).ToArray());
    private static readonly Key RefundKey = new(Enumerable.Repeat((byte)0x22, 32).ToArray());
    private static readonly Key FunderKey = new(Enumerable.Repeat((byte)0x23, 32).ToArray());
    private static readonly byte[] Preimage = Enumerable.Repeat((byte)0x24, 32).ToArray();
    private static readonly HtlcContract Contract = new(HtlcContract.HashOf(Preimage), ClaimKey.PubKey, RefundKey.PubKey, 950_000);
    private static readonly FeeRate Rate = new(Money.Satoshis(1_000));
    private static readonly Script Destination = new Key(Enumerable.Repeat((byte)0x25, 32).ToArray()).PubKey.WitHash.ScriptPubKey;

    [Fact]
    public void Funding_claim_and_refund_sizes()
    {
        var coin = new Coin(new OutPoint(uint256.One, 0), new TxOut(Money.Coins(2m), FunderKey.PubKey.WitHash.ScriptPubKey));
        var funded = HtlcFunding.Build(Net, Contract, Money.Coins(1m), [coin], [FunderKey], FunderKey.PubKey.WitHash.ScriptPubKey, Rate);
        var claim = HtlcSpendBuilder.BuildClaim(Contract, funded.HtlcOutpoint, Money.Coins(1m), ClaimKey, Preimage, Destination, Rate, Net);
        var refund = HtlcSpendBuilder.BuildRefund(Contract, funded.HtlcOutpoint, Money.Coins(1m), RefundKey, Destination, Rate, Net);
        output.WriteLine($"witness script {Contract.WitnessScript.Length} bytes");
        foreach (var (name, tx) in new[] { ("funding", funded.Transaction), ("claim", claim), ("refund", refund) })
            output.WriteLine($"{name}: {tx.GetVirtualSize()} vB, {tx.ToBytes().Length} bytes serialized");

        Assert.Equal(117, Contract.WitnessScript.Length);
        Assert.Equal(FundingVsize, funded.Transaction.GetVirtualSize());
        Assert.Equal(ClaimVsize, claim.GetVirtualSize());
        Assert.Equal(RefundVsize, refund.GetVirtualSize());
        // At 1 sat/vB each fee equals the size, which is what the builders promise.
        Assert.Equal(Money.Satoshis(ClaimVsize), Money.Coins(1m) - claim.TotalOut);
        Assert.Equal(Money.Satoshis(RefundVsize), Money.Coins(1m) - refund.TotalOut);
    }

    private const int FundingVsize = 153;
    private const int ClaimVsize = 139;
    private const int RefundVsize = 131;
}
