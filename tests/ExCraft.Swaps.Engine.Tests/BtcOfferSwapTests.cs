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
/// A swap offer of EXT for BTC, all through the CLI, either side given by the maker: the maker
/// posts it with the exact Bitcoin timeout height (the deadline rule of docs/swaps.md), the taker
/// takes it (bringing the secret when the maker gives BTC), and each party runs
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

    [Theory]
    [InlineData(true)]  // the maker gives EXT and holds the secret; the taker locks BTC
    [InlineData(false)] // the maker gives BTC; the taker brings EXT and the secret
    public async Task An_offer_of_ext_for_btc_is_posted_taken_and_run_to_the_end_by_the_cli(bool makerGivesNative)
    {
        await using var miner = BtcCliKit.StartMining(bitcoin);
        var dir = Directory.CreateTempSubdirectory("excraft-btc-offer-").FullName;
        try
        {
            var maker = await BtcCliKit.PartyAsync(world, bitcoin, dir, "maker", MakerDev, fund: !makerGivesNative);
            var taker = await BtcCliKit.PartyAsync(world, bitcoin, dir, "taker", TakerDev, fund: makerGivesNative);
            var (initiator, participant) = makerGivesNative ? (maker, taker) : (taker, maker); // the initiator gives EXT and claims BTC
            var makerExt = await world.ExtBalanceAsync(Wallet.Dev(MakerDev).Address);
            var takerExt = await world.ExtBalanceAsync(Wallet.Dev(TakerDev).Address);
            var secretFile = Path.Combine(initiator.Home, "offer.secret");
            // T2: 250 Bitcoin blocks (75 s at 300 ms) from now, fixed in the offer; T1: 1,500 ExCraft blocks (150 s at 100 ms) from the take.
            var btcTimeout = await bitcoin.TipAsync() + 250;

            string[] post = ["swap", "offer", "post", "--gives", makerGivesNative ? "native" : "outside", "--native-amount", "4", "--chain", "bitcoin",
                "--outside-amount", "0.02", "--my-outside-key", "0x" + maker.PubKeyHex, "--lock-blocks", "1500",
                "--outside-timeout-height", btcTimeout.ToString(System.Globalization.CultureInfo.InvariantCulture), "--expires-in", "1000",
                "--from", $"dev:{MakerDev}", "--rpc", world.Ext.Rpc.Url, "--wait", "--json"];
            var posted = await CliSwapTests.CliAsync(maker.Home, makerGivesNative ? [.. post, "--new-secret", secretFile] : post);
            Assert.True(posted.Exit == 0, posted.Output);
            var offerId = JsonNode.Parse(posted.Output)!["offerId"]!.GetValue<string>();
            var shown = await CliSwapTests.CliAsync(maker.Home, "swap", "offer", "show", offerId, "--rpc", world.Ext.Rpc.Url);
            Assert.Contains($"times out at Bitcoin height {btcTimeout}", shown.Output);
            string[] take = ["swap", "offer", "take", offerId, "--my-outside-key", "0x" + taker.PubKeyHex, "--from", $"dev:{TakerDev}", "--rpc", world.Ext.Rpc.Url, "--wait"];
            var taken = await CliSwapTests.CliAsync(taker.Home, makerGivesNative ? take : [.. take, "--new-secret", secretFile]);
            Assert.True(taken.Exit == 0, taken.Output);

            // A Bitcoin key other than the one the offer names could never refund (or claim) the script: refused before anything starts.
            var otherKey = BtcCliKit.WriteConfig(world, bitcoin, participant.Home, makerGivesNative ? TakerDev : MakerDev, new Key().GetWif(bitcoin.Network).ToString(),
                new Key().PubKey.GetAddress(ScriptPubKeyType.Segwit, bitcoin.Network).ToString(), "bcoin-regtest", participant.ScanFrom, "other.wif");
            var refused = await CliSwapTests.CliAsync(participant.Home, "swap", "run", "--offer", offerId, "--swap-config", otherKey);
            Assert.True(refused.Exit == 1 && refused.Output.Contains($"is not the key offer {offerId} names for the participant"), refused.Output);
            Assert.Empty(new SwapStore(Path.Combine(participant.Home, "swaps")).SwapIds());

            using var initiatorRun = CliSwapTests.Start(initiator.Home, "swap", "run", "--offer", offerId, "--secret-file", secretFile, "--swap-config", initiator.Config);
            using var participantRun = CliSwapTests.Start(participant.Home, "swap", "run", "--offer", offerId, "--swap-config", participant.Config);
            var ends = await Task.WhenAll(BtcCliKit.EndAsync(initiatorRun, Bound), BtcCliKit.EndAsync(participantRun, Bound));
            var swapId = Convert.ToHexStringLower(SHA256.HashData(Hex.Decode(File.ReadAllText(secretFile).Trim())));
            Assert.True(ends[0].Exit == 0 && ends[0].Output.Contains($"{swapId}: completed"), ends[0].Output);
            Assert.True(ends[1].Exit == 0 && ends[1].Output.Contains($"{swapId}: completed"), ends[1].Output);

            var initiatorState = SwapState.Fold(new SwapStore(Path.Combine(initiator.Home, "swaps")).Read(swapId));
            var participantState = SwapState.Fold(new SwapStore(Path.Combine(participant.Home, "swaps")).Read(swapId));
            // Both logged the same terms: the Bitcoin timeout is the offer's height on both sides, not each party's own clock.
            Assert.Equal(initiatorState.Agreement.ParticipantLeg, participantState.Agreement.ParticipantLeg);
            Assert.Equal(btcTimeout, (int)initiatorState.Agreement.ParticipantLeg.Timeout);
            Assert.Equal(offerId, initiatorState.OwnLock!.Ref); // the take's HTLC, adopted
            // ExCraft: the EXT moved once; the maker paid the post's fee, the taker the take's, and the participant also the claim's.
            var (makerFees, takerFees) = makerGivesNative ? (1, 2) : (2, 1);
            var makerDelta = makerGivesNative ? -(BigInteger)ExtAmount : (BigInteger)ExtAmount;
            Assert.Equal(makerExt + makerDelta - makerFees * Fee, await world.ExtBalanceAsync(Wallet.Dev(MakerDev).Address));
            Assert.Equal(takerExt - makerDelta - takerFees * Fee, await world.ExtBalanceAsync(Wallet.Dev(TakerDev).Address));
            // Bitcoin: the initiator's destination got the amount less the claim's fee; the participant's key keeps its coin less the amount and the lock's fee.
            var claim = await bitcoin.Client.GetTransactionAsync(uint256.Parse(initiatorState.CounterClaimTx!));
            Assert.NotNull(claim);
            var received = BtcAmount - bitcoin.FeeRate.GetFee(claim.GetVirtualSize());
            await Until.TrueAsync(async () => await bitcoin.ConfirmedBalanceAsync(initiator.Destination, initiator.ScanFrom) == received,
                TimeSpan.FromSeconds(30), "the claim is mined");
            var lockFee = await BtcCliKit.LockFeeAsync(bitcoin, participantState);
            Assert.Equal(BtcCliKit.Funding - BtcAmount - lockFee, await bitcoin.ConfirmedBalanceAsync(participant.KeyScript, participant.ScanFrom));
            Assert.Equal(Money.Zero, await bitcoin.ConfirmedBalanceAsync(participant.Destination, participant.ScanFrom));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
