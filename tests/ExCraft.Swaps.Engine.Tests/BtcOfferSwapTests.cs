using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Integration.Tests;
using ExCraft.Swaps.Bitcoin.Tests;
using NBitcoin;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// A swap offer of EXT for BTC, all through the CLI: the maker posts it with the exact Bitcoin
/// timeout height (the deadline rule of docs/swaps.md), the taker takes it, and each party runs
/// `swap run --offer ID` in its own process on a real bcoin regtest mined every 300 ms. Both
/// engines derive the same P2WSH script from the signed terms alone, so the initiator finds the
/// participant's lock and claims it. Balances are exact on both chains.
/// </summary>
public sealed class BtcOfferSwapTests(SwapWorld world, BcoinFixture bitcoin) : IClassFixture<SwapWorld>, IClassFixture<BcoinFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private static readonly UInt128 ExtAmount = Amount.FromWhole(4);
    private static readonly Money BtcAmount = Money.Satoshis(2_000_000);
    private static readonly BigInteger Fee = SwapWorld.Fee;
    private const int MakerDev = 6, TakerDev = 7;

    [Fact]
    public async Task An_offer_of_ext_for_btc_is_posted_taken_and_run_to_the_end_by_the_cli()
    {
        using var mining = new CancellationTokenSource();
        var miner = BtcCliKit.MineUntilAsync(bitcoin, mining.Token);
        var dir = Directory.CreateTempSubdirectory("excraft-btc-offer-").FullName;
        try
        {
            var maker = await BtcCliKit.PartyAsync(world, bitcoin, dir, "maker", MakerDev, fund: false); // gives EXT, claims BTC
            var taker = await BtcCliKit.PartyAsync(world, bitcoin, dir, "taker", TakerDev, fund: true); // gives BTC from its key's coin
            var makerExt = await world.ExtBalanceAsync(Wallet.Dev(MakerDev).Address);
            var takerExt = await world.ExtBalanceAsync(Wallet.Dev(TakerDev).Address);
            var secretFile = Path.Combine(maker.Home, "offer.secret");
            // T2: 150 Bitcoin blocks (45 s at 300 ms) from now, fixed in the offer; T1: 900 ExCraft blocks (90 s at 100 ms) from the take.
            var btcTimeout = await bitcoin.TipAsync() + 150;

            var posted = await CliSwapTests.CliAsync(maker.Home, "swap", "offer", "post", "--gives", "native", "--native-amount", "4", "--chain", "bitcoin",
                "--outside-amount", "0.02", "--my-outside-key", "0x" + maker.PubKeyHex, "--new-secret", secretFile, "--lock-blocks", "900",
                "--outside-timeout-height", btcTimeout.ToString(System.Globalization.CultureInfo.InvariantCulture), "--expires-in", "1000",
                "--from", $"dev:{MakerDev}", "--rpc", world.Ext.Rpc.Url, "--wait", "--json");
            Assert.True(posted.Exit == 0, posted.Output);
            var offerId = JsonNode.Parse(posted.Output)!["offerId"]!.GetValue<string>();
            var shown = await CliSwapTests.CliAsync(maker.Home, "swap", "offer", "show", offerId, "--rpc", world.Ext.Rpc.Url);
            Assert.Contains($"times out at Bitcoin height {btcTimeout}", shown.Output);
            var taken = await CliSwapTests.CliAsync(taker.Home, "swap", "offer", "take", offerId, "--my-outside-key", "0x" + taker.PubKeyHex,
                "--from", $"dev:{TakerDev}", "--rpc", world.Ext.Rpc.Url, "--wait");
            Assert.True(taken.Exit == 0, taken.Output);

            // A Bitcoin key other than the one the take named could never refund the script: refused before anything starts.
            var otherKey = BtcCliKit.WriteConfig(world, bitcoin, taker.Home, TakerDev, new Key().GetWif(bitcoin.Network).ToString(),
                new Key().PubKey.GetAddress(ScriptPubKeyType.Segwit, bitcoin.Network).ToString(), "bcoin-regtest", taker.ScanFrom, "other.wif");
            var refused = await CliSwapTests.CliAsync(taker.Home, "swap", "run", "--offer", offerId, "--swap-config", otherKey);
            Assert.True(refused.Exit == 1 && refused.Output.Contains($"is not the key offer {offerId} names for the participant"), refused.Output);
            Assert.Empty(new SwapStore(Path.Combine(taker.Home, "swaps")).SwapIds());

            using var makerRun = CliSwapTests.Start(maker.Home, "swap", "run", "--offer", offerId, "--secret-file", secretFile, "--swap-config", maker.Config);
            using var takerRun = CliSwapTests.Start(taker.Home, "swap", "run", "--offer", offerId, "--swap-config", taker.Config);
            var ends = await Task.WhenAll(BtcCliKit.EndAsync(makerRun, Bound), BtcCliKit.EndAsync(takerRun, Bound));
            var swapId = Convert.ToHexStringLower(SHA256.HashData(Hex.Decode(File.ReadAllText(secretFile).Trim())));
            Assert.True(ends[0].Exit == 0 && ends[0].Output.Contains($"{swapId}: completed"), ends[0].Output);
            Assert.True(ends[1].Exit == 0 && ends[1].Output.Contains($"{swapId}: completed"), ends[1].Output);

            var makerState = SwapState.Fold(new SwapStore(Path.Combine(maker.Home, "swaps")).Read(swapId));
            var takerState = SwapState.Fold(new SwapStore(Path.Combine(taker.Home, "swaps")).Read(swapId));
            // Both logged the same terms: the Bitcoin timeout is the offer's height on both sides, not each party's own clock.
            Assert.Equal(makerState.Agreement.ParticipantLeg, takerState.Agreement.ParticipantLeg);
            Assert.Equal(btcTimeout, (int)makerState.Agreement.ParticipantLeg.Timeout);
            Assert.Equal(offerId, makerState.OwnLock!.Ref); // the take's HTLC, adopted
            // ExCraft: the maker paid the amount and the post's fee; the taker got the amount and paid the take's and the claim's fees.
            Assert.Equal(makerExt - (BigInteger)ExtAmount - Fee, await world.ExtBalanceAsync(Wallet.Dev(MakerDev).Address));
            Assert.Equal(takerExt + (BigInteger)ExtAmount - 2 * Fee, await world.ExtBalanceAsync(Wallet.Dev(TakerDev).Address));
            // Bitcoin: the maker's destination got the amount less the claim's fee; the taker's key keeps its coin less the amount and the lock's fee.
            var claim = await bitcoin.Client.GetTransactionAsync(uint256.Parse(makerState.CounterClaimTx!));
            Assert.NotNull(claim);
            var received = BtcAmount - bitcoin.FeeRate.GetFee(claim.GetVirtualSize());
            await Until.TrueAsync(async () => await bitcoin.ConfirmedBalanceAsync(maker.Destination, maker.ScanFrom) == received,
                TimeSpan.FromSeconds(30), "the claim is mined");
            var lockFee = await BtcCliKit.LockFeeAsync(bitcoin, takerState);
            Assert.Equal(BtcCliKit.Funding - BtcAmount - lockFee, await bitcoin.ConfirmedBalanceAsync(taker.KeyScript, taker.ScanFrom));
            Assert.Equal(Money.Zero, await bitcoin.ConfirmedBalanceAsync(taker.Destination, taker.ScanFrom));
        }
        finally
        {
            mining.Cancel();
            await miner;
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
