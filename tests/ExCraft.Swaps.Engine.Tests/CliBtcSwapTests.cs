using System.Numerics;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Integration.Tests;
using ExCraft.Swaps.Bitcoin.Tests;
using ExCraft.Swaps.Engine.Bitcoin;
using ExCraft.Swaps.Engine.Legs;
using NBitcoin;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// EXT against BTC driven by the CLI alone: each party has its own directory and swap
/// configuration (a dev key on the ExCraft dev node, a WIF key file and a destination on a real
/// bcoin regtest mined every 300 ms); `swap initiate`, `swap participate`, then one `swap run`
/// process per party to the end. The participant's lock is funded from its own key's coins,
/// found by the CLI's coin source. Bad Bitcoin options fail with a clear error before anything
/// is sent.
/// </summary>
public sealed class CliBtcSwapTests(SwapWorld world, BcoinFixture bitcoin) : IClassFixture<SwapWorld>, IClassFixture<BcoinFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private static readonly BigInteger ExtAmount = Amount.FromWhole(3);
    private static readonly Money BtcAmount = Money.Satoshis(1_000_000);
    private const int InitiatorDev = 6, ParticipantDev = 5;

    [Fact]
    public async Task Two_cli_parties_swap_ext_for_btc_to_the_end()
    {
        await using var miner = BtcCliKit.StartMining(bitcoin);
        var dir = Directory.CreateTempSubdirectory("excraft-btc-cli-").FullName;
        try
        {
            var initiator = await BtcCliKit.PartyAsync(world, bitcoin, dir, "initiator", InitiatorDev, fund: false);
            var participant = await BtcCliKit.PartyAsync(world, bitcoin, dir, "participant", ParticipantDev, fund: true);
            var participantReceive = new PrivateKey(Keccak256.Hash(Guid.NewGuid().ToByteArray())).Address; // receives only: the claim shows as the exact amount
            // The CLI shows the key to name in the terms and finds the one coin paid to it.
            var key = await BitcoinKeyAsync(participant);
            Assert.Equal(("0x" + participant.PubKeyHex, participant.Key.PubKey.GetAddress(ScriptPubKeyType.Segwit, bitcoin.Network).ToString(), BtcCliKit.Funding.Satoshi.ToString(), 1),
                (key["publicKey"]!.GetValue<string>(), key["address"]!.GetValue<string>(), key["spendable"]!.GetValue<string>(), key["coins"]!.GetValue<int>()));
            var initiatorExt = await world.ExtBalanceAsync(Wallet.Dev(InitiatorDev).Address);
            var participantExt = await world.ExtBalanceAsync(Wallet.Dev(ParticipantDev).Address);

            var terms = new JsonObject
            {
                ["hashLock"] = "0x" + new string('0', 64), // initiate puts the hash of its fresh secret here
                ["initiatorLeg"] = new LegTerms(ExCraftLeg.ChainName, "EXT", ExtAmount, participantReceive.ToString(), Wallet.Dev(InitiatorDev).Address.ToString(),
                    await world.ExtHeightAsync() + 1500, 1).ToJson(), // T1: 150 s at 100 ms
                ["participantLeg"] = new LegTerms(BitcoinLeg.ChainName, BitcoinLeg.Asset, BtcAmount.Satoshi, initiator.PubKeyHex, participant.PubKeyHex,
                    await bitcoin.TipAsync() + 250, 1).ToJson(), // T2: 75 s at 300 ms; both far beyond a slow machine's process starts
            };
            var draft = Path.Combine(dir, "draft.json");
            File.WriteAllText(draft, terms.ToJsonString());
            var initiate = await CliSwapTests.CliAsync(initiator.Home, "swap", "initiate", "--terms", draft, "--swap-config", initiator.Config, "--json");
            Assert.True(initiate.Exit == 0, initiate.Output);
            var agreed = JsonNode.Parse(initiate.Output)!["terms"]!.AsObject();
            var swapId = agreed["hashLock"]!.GetValue<string>()[2..];
            var termsFile = Path.Combine(dir, "terms.json"); // what the initiator hands the participant
            File.WriteAllText(termsFile, agreed.ToJsonString());
            var participate = await CliSwapTests.CliAsync(participant.Home, "swap", "participate", "--terms", termsFile, "--swap-config", participant.Config, "--json");
            Assert.True(participate.Exit == 0, participate.Output);

            using var initiatorRun = CliSwapTests.Start(initiator.Home, "swap", "run", "--swap-config", initiator.Config);
            using var participantRun = CliSwapTests.Start(participant.Home, "swap", "run", "--swap-config", participant.Config);
            var ends = await Task.WhenAll(BtcCliKit.EndAsync(initiatorRun, Bound), BtcCliKit.EndAsync(participantRun, Bound));
            Assert.True(ends[0].Exit == 0 && ends[0].Output.Contains($"{swapId}: completed"), ends[0].Output);
            Assert.True(ends[1].Exit == 0 && ends[1].Output.Contains($"{swapId}: completed"), ends[1].Output);

            var initiatorState = SwapState.Fold(new SwapStore(Path.Combine(initiator.Home, "swaps")).Read(swapId));
            var participantState = SwapState.Fold(new SwapStore(Path.Combine(participant.Home, "swaps")).Read(swapId));
            Assert.Equal(initiatorState.Secret, participantState.Secret); // read from the claim's witness on bcoin
            // ExCraft: the initiator paid the amount and its lock's fee, the participant's receive address got the amount, its key paid the claim's fee.
            Assert.Equal(initiatorExt - ExtAmount - SwapWorld.Fee, await world.ExtBalanceAsync(Wallet.Dev(InitiatorDev).Address));
            Assert.Equal(ExtAmount, await world.ExtBalanceAsync(participantReceive));
            Assert.Equal(participantExt - SwapWorld.Fee, await world.ExtBalanceAsync(Wallet.Dev(ParticipantDev).Address));
            // Bitcoin: the initiator's destination got the amount less the claim's fee (rate x vsize); the participant's key keeps its coin less the amount and the lock's fee.
            var claim = await bitcoin.Client.GetTransactionAsync(uint256.Parse(initiatorState.CounterClaimTx!));
            Assert.NotNull(claim);
            var received = BtcAmount - bitcoin.FeeRate.GetFee(claim.GetVirtualSize());
            await Until.TrueAsync(async () => await bitcoin.ConfirmedBalanceAsync(initiator.Destination, initiator.ScanFrom) == received,
                TimeSpan.FromSeconds(30), "the claim is mined");
            var lockFee = await BtcCliKit.LockFeeAsync(bitcoin, participantState);
            Assert.Equal(BtcCliKit.Funding - BtcAmount - lockFee, await bitcoin.ConfirmedBalanceAsync(participant.KeyScript, participant.ScanFrom));
            // The coin source no longer offers the spent coin, only the lock's change (mined with the lock).
            key = await BitcoinKeyAsync(participant);
            Assert.Equal(((BtcCliKit.Funding - BtcAmount - lockFee).Satoshi.ToString(), 1), (key["spendable"]!.GetValue<string>(), key["coins"]!.GetValue<int>()));
            Assert.Equal(Money.Zero, await bitcoin.ConfirmedBalanceAsync(participant.Destination, participant.ScanFrom)); // no refund
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Bad_bitcoin_options_fail_with_a_clear_error_and_start_nothing()
    {
        var dir = Directory.CreateTempSubdirectory("excraft-btc-cli-bad-").FullName;
        try
        {
            var home = Directory.CreateDirectory(Path.Combine(dir, "party")).FullName;
            var key = new Key();
            var rb = key.PubKey.GetAddress(ScriptPubKeyType.Segwit, bitcoin.Network).ToString();
            var tip = await bitcoin.TipAsync();
            var terms = Path.Combine(dir, "terms.json");
            File.WriteAllText(terms, new JsonObject
            {
                ["hashLock"] = "0x" + new string('0', 64),
                ["initiatorLeg"] = new LegTerms(ExCraftLeg.ChainName, "EXT", ExtAmount, Wallet.Dev(1).Address.ToString(), Wallet.Dev(InitiatorDev).Address.ToString(), 10_000, 1).ToJson(),
                ["participantLeg"] = new LegTerms(BitcoinLeg.ChainName, BitcoinLeg.Asset, BtcAmount.Satoshi, key.PubKey.ToHex(), new Key().PubKey.ToHex(), tip + 100, 1).ToJson(),
            }.ToJsonString());
            var initiatorExt = await world.ExtBalanceAsync(Wallet.Dev(InitiatorDev).Address);

            // No key file.
            var config = BtcCliKit.WriteConfig(world, bitcoin, home, InitiatorDev, key.GetWif(bitcoin.Network).ToString(), rb, "bcoin-regtest", tip);
            var missing = Path.Combine(home, "missing.wif");
            var json = JsonNode.Parse(File.ReadAllText(config))!;
            json["bitcoin"]!["keyFile"] = missing;
            File.WriteAllText(config, json.ToJsonString());
            await AssertUsageErrorAsync(home, terms, config, "swap config bitcoin.keyFile", missing);

            // A key of another network: bcoin's regtest WIF where Core's regtest is configured.
            var coreRegtest = BtcCliKit.WriteConfig(world, bitcoin, home, InitiatorDev, key.GetWif(bitcoin.Network).ToString(),
                key.PubKey.GetAddress(ScriptPubKeyType.Segwit, NBitcoin.Network.RegTest).ToString(), "regtest", tip, "core.wif");
            await AssertUsageErrorAsync(home, terms, coreRegtest, "swap config bitcoin.keyFile", "not a WIF private key of RegTest");

            // Key and destination of testnet, but the node is a regtest: its genesis block gives it away.
            var testnet = BtcCliKit.WriteConfig(world, bitcoin, home, InitiatorDev, key.GetWif(NBitcoin.Network.TestNet).ToString(),
                key.PubKey.GetAddress(ScriptPubKeyType.Segwit, NBitcoin.Network.TestNet).ToString(), "testnet", tip, "testnet.wif");
            await AssertUsageErrorAsync(home, terms, testnet, "swap config bitcoin.network", "is not on TestNet");

            // An unknown network name.
            var unknown = BtcCliKit.WriteConfig(world, bitcoin, home, InitiatorDev, key.GetWif(bitcoin.Network).ToString(), rb, "dogecoin", tip, "unknown.wif");
            await AssertUsageErrorAsync(home, terms, unknown, "swap config bitcoin.network", "unknown Bitcoin network 'dogecoin'");

            // Nothing was logged or sent: no swap in the data directory, the initiator's EXT untouched.
            Assert.Empty(new SwapStore(Path.Combine(home, "swaps")).SwapIds());
            Assert.Equal(initiatorExt, await world.ExtBalanceAsync(Wallet.Dev(InitiatorDev).Address));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<JsonNode> BitcoinKeyAsync(BtcCliKit.BtcParty party)
    {
        var run = await CliSwapTests.CliAsync(party.Home, "swap", "bitcoin-key", "--swap-config", party.Config, "--json");
        Assert.True(run.Exit == 0, run.Output);
        return JsonNode.Parse(run.Output)!;
    }

    /// <summary>`swap initiate` and `swap run` with the configuration both exit with the usage code and the message.</summary>
    private static async Task AssertUsageErrorAsync(string home, string terms, string config, params string[] expected)
    {
        foreach (var args in new[] { new[] { "swap", "initiate", "--terms", terms, "--swap-config", config }, ["swap", "run", "--swap-config", config] })
        {
            var run = await CliSwapTests.CliAsync(home, args);
            Assert.True(run.Exit == 1, $"exit {run.Exit} from excraft {string.Join(' ', args)}:\n{run.Output}");
            foreach (var text in expected) Assert.Contains(text, run.Output);
        }
    }
}
