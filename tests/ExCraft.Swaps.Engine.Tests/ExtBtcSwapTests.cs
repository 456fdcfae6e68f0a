using System.Numerics;
using Xunit.Abstractions;
using System.Security.Cryptography;
using ExCraft.Core;
using ExCraft.Integration.Tests;
using ExCraft.Swaps.Bitcoin.Tests;
using ExCraft.Swaps.Engine.Bitcoin;
using ExCraft.Swaps.Engine.Legs;
using NBitcoin;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// EXT against BTC: the initiator locks EXT on the ExCraft dev node, the participant funds the P2WSH
/// HTLC on a real bcoin regtest node, which a background miner extends every 300 ms (the
/// engine's clock for that chain). Balances are read from the UTXO set and the ExCraft state.
/// </summary>
public sealed class ExtBtcSwapTests(SwapWorld world, BcoinFixture bitcoin, ITestOutputHelper output) : IClassFixture<SwapWorld>, IClassFixture<BcoinFixture>
{
    private static readonly TimeSpan BlockInterval = TimeSpan.FromMilliseconds(300);
    private static readonly BigInteger ExtAmount = Amount.FromWhole(3);
    private static readonly Money BtcAmount = Money.Satoshis(1_000_000);

    [Fact]
    public async Task Happy_path_both_legs_are_claimed()
    {
        await using var miner = new RegtestMiner(bitcoin, BlockInterval);
        var startHeight = await bitcoin.TipAsync();
        var initiator = await world.PartyAsync("initiator");
        var participant = await world.PartyAsync("participant");
        var (initiatorKey, participantKey) = (new Key(), new Key());
        var (initiatorReceive, participantRefund) = (new Key().PubKey.WitHash.ScriptPubKey, new Key().PubKey.WitHash.ScriptPubKey);
        SwapLegs Legs(Party party, Key key, Script destination) => new(party.ExtLeg, new BitcoinLeg(bitcoin.Client, key,
            async (_, _) => new BitcoinFunds([await bitcoin.TakeCoinAsync()], [bitcoin.MinerKey], bitcoin.MinerAddress.ScriptPubKey),
            destination, bitcoin.FeeRate, BlockInterval, startHeight));

        var secret = RandomNumberGenerator.GetBytes(32);
        var terms = new SwapAgreement(SHA256.HashData(secret),
            new LegTerms(ExCraftLeg.ChainName, "EXT", ExtAmount, participant.ExtReceive.ToString(), initiator.ExtRefund.ToString(),
                await world.ExtHeightAsync() + 600, 1),
            new LegTerms(BitcoinLeg.ChainName, BitcoinLeg.Asset, BtcAmount.Satoshi, initiatorKey.PubKey.ToHex(), participantKey.PubKey.ToHex(),
                startHeight + 100, 1));
        var initiatorExt = await world.ExtBalanceAsync(initiator.ExtKey.Address);
        var options = Drive.Options(marginSeconds: 15, windowSeconds: 8);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ends = await Task.WhenAll(
            Drive.ToEndAsync(SwapEngine.Create(initiator.Store, terms, SwapRole.Initiator, secret, Legs(initiator, initiatorKey, initiatorReceive), options), TimeSpan.FromSeconds(90)),
            Drive.ToEndAsync(SwapEngine.Create(participant.Store, terms, SwapRole.Participant, null, Legs(participant, participantKey, participantRefund), options), TimeSpan.FromSeconds(90)));

        output.WriteLine($"EXT<->BTC: both legs claimed {clock.Elapsed.TotalSeconds:0.0} s after the start");
        Assert.Equal("completed", ends[0].Outcome);
        Assert.Equal("completed", ends[1].Outcome);
        Assert.Equal(secret, ends[1].Secret); // read from the claim's witness on bcoin
        Assert.Equal(initiatorExt - ExtAmount - SwapWorld.Fee, await world.ExtBalanceAsync(initiator.ExtKey.Address));
        Assert.Equal(ExtAmount, await world.ExtBalanceAsync(participant.ExtReceive));
        // The claim pays the amount less its own fee (fee rate x vsize) to the initiator's address, once mined.
        var claim = await bitcoin.Client.GetTransactionAsync(uint256.Parse(ends[0].CounterClaimTx!));
        Assert.NotNull(claim);
        var expected = BtcAmount - bitcoin.FeeRate.GetFee(claim.GetVirtualSize());
        Assert.Equal(expected, Assert.Single(claim.Outputs).Value);
        await Until.TrueAsync(async () => await bitcoin.ConfirmedBalanceAsync(initiatorReceive, startHeight) == expected,
            TimeSpan.FromSeconds(30), "the claim is mined");
        Assert.Equal(Money.Zero, await bitcoin.ConfirmedBalanceAsync(participantRefund, startHeight));
    }
}
