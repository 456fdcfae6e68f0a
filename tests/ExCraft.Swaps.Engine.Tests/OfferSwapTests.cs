using System.Numerics;
using System.Security.Cryptography;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;
using ExCraft.Integration.Tests;
using ExCraft.Swaps.Engine.Legs;
using ExCraft.Swaps.Ethereum.Tests;
using Xunit.Abstractions;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// Swaps started from offers on chain (issue 10: "a taken offer starts both engines on terms both
/// signed"): the maker posts EXT for ETH with its hash lock, the taker takes it (the take locks the
/// maker's EXT in the native HTLC), and each side's engine starts from the offer's terms alone.
/// The initiator's engine adopts the take's HTLC, so it never locks EXT a second time.
/// </summary>
public sealed class OfferSwapTests(SwapWorld world, ITestOutputHelper output) : IClassFixture<SwapWorld>
{
    private static readonly UInt128 ExtAmount = Amount.FromWhole(7);
    private static readonly BigInteger EthAmount = SwapChain.Ether / 4;
    private static readonly BigInteger Fee = SwapWorld.Fee;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(75);
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private ExCraftRpc Rpc => new(new Uri(world.Ext.Rpc.Url), http);

    [Fact]
    public async Task A_taken_offer_runs_both_engines_to_the_end()
    {
        var maker = await world.PartyAsync("maker");
        var taker = await world.PartyAsync("taker");
        var secret = RandomNumberGenerator.GetBytes(32);
        var makerExt = await world.ExtBalanceAsync(maker.ExtKey.Address);
        var takerExt = await world.ExtBalanceAsync(taker.ExtKey.Address);
        var takerEth = await world.EthBalanceAsync(taker.EthSender.Address);
        var contract = await world.EthBalanceAsync(world.Htlc.ContractAddress);

        var offerId = await PostAsync(maker, SHA256.HashData(secret), lockBlocks: 600, outsideLockSeconds: 30);
        await TakeAsync(taker, offerId);
        var terms = await OfferAgreement.ReadAsync(Rpc, offerId, default);

        var (initiatorTerms, initiatorRole) = OfferAgreement.For(terms, maker.ExtKey.Address, await world.EthNowAsync());
        var (participantTerms, participantRole) = OfferAgreement.For(terms, taker.ExtKey.Address, await world.EthNowAsync());
        Assert.Equal((SwapRole.Initiator, SwapRole.Participant), (initiatorRole, participantRole));
        Assert.Equal(initiatorTerms.InitiatorLeg, participantTerms.InitiatorLeg); // the native leg is the take's HTLC, the same for both
        var options = Drive.Options(marginSeconds: 15, windowSeconds: 8);
        var initiator = SwapEngine.Create(maker.Store, initiatorTerms, initiatorRole, secret, maker.Legs, options);
        var participant = SwapEngine.Create(taker.Store, participantTerms, participantRole, null, taker.Legs, options);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ends = await Task.WhenAll(Drive.ToEndAsync(initiator, Bound), Drive.ToEndAsync(participant, Bound));
        output.WriteLine($"offer {offerId[..10]}: both legs claimed {clock.Elapsed.TotalSeconds:0.0} s after the engines started");

        Assert.Equal("completed", ends[0].Outcome);
        Assert.Equal("completed", ends[1].Outcome);
        Assert.Equal(secret, ends[1].Secret); // learned from the initiator's claim on anvil
        // The initiator's lock is the take's HTLC (id = offer id), adopted: nothing signed, nothing sent.
        Assert.Equal(offerId, ends[0].OwnLock!.Ref);
        Assert.Null(ends[0].OwnLock!.Raw);
        var htlcs = (await Rpc.CallAsync("htlc_listByAccount", default, maker.ExtKey.Address.ToString(), 100, null))!["htlcs"]!.AsArray();
        Assert.Equal(offerId, Assert.Single(htlcs)!["id"]!.GetValue<string>());
        Assert.Equal("claimed", htlcs[0]!["status"]!.GetValue<string>());
        // ExCraft: the maker paid the amount and the post's fee only; the taker got the amount and paid the take's and the claim's fees.
        Assert.Equal(makerExt - (BigInteger)ExtAmount - Fee, await world.ExtBalanceAsync(maker.ExtKey.Address));
        Assert.Equal(takerExt + (BigInteger)ExtAmount - 2 * Fee, await world.ExtBalanceAsync(taker.ExtKey.Address));
        // Ethereum: the maker's outside address got exactly the amount; the taker paid it plus gas; the contract is as before.
        Assert.Equal(EthAmount, await world.EthBalanceAsync(maker.EthReceive));
        Assert.InRange(takerEth - await world.EthBalanceAsync(taker.EthSender.Address), EthAmount, EthAmount + SwapChain.Ether / 100);
        Assert.Equal(0, await world.EthBalanceAsync(taker.EthRefund));
        Assert.Equal(contract, await world.EthBalanceAsync(world.Htlc.ContractAddress));
    }

    [Fact]
    public async Task An_offer_not_taken_or_a_key_of_neither_party_is_refused()
    {
        var maker = await world.PartyAsync("maker");
        var taker = await world.PartyAsync("taker");
        var stranger = await world.PartyAsync("stranger");
        var offerId = await PostAsync(maker, SHA256.HashData(RandomNumberGenerator.GetBytes(32)), lockBlocks: 600, outsideLockSeconds: 30);

        var open = await Assert.ThrowsAsync<ArgumentException>(() => OfferAgreement.ReadAsync(Rpc, offerId, default));
        Assert.Contains("is open, not taken", open.Message);
        var unknown = Hex.Encode(Keccak256.Hash("no such offer"u8.ToArray()));
        Assert.Contains("no swap offer", (await Assert.ThrowsAsync<ArgumentException>(() => OfferAgreement.ReadAsync(Rpc, unknown, default))).Message);

        await TakeAsync(taker, offerId);
        var terms = await OfferAgreement.ReadAsync(Rpc, offerId, default);
        var neither = Assert.Throws<ArgumentException>(() => OfferAgreement.For(terms, stranger.ExtKey.Address, 1));
        Assert.Contains("is neither party", neither.Message);
        Assert.Empty(stranger.Store.SwapIds()); // nothing started
        // The initiator's engine refuses to start without the secret behind the offer's hash.
        var (agreement, role) = OfferAgreement.For(terms, maker.ExtKey.Address, await world.EthNowAsync());
        Assert.Throws<ArgumentException>(() => SwapEngine.Create(maker.Store, agreement, role, RandomNumberGenerator.GetBytes(32), maker.Legs, Drive.Options(15, 8)));
        Assert.Empty(maker.Store.SwapIds());
    }

    [Fact]
    public async Task Both_parties_run_the_offer_with_the_cli_and_the_participant_resumes_after_sigkill()
    {
        const int MakerDev = 6, TakerDev = 7; // the CLI signs on ExCraft with dev keys
        var maker = await world.PartyAsync("maker"); // its Ethereum keys and addresses
        var taker = await world.PartyAsync("taker");
        var dir = Directory.CreateTempSubdirectory("excraft-offer-cli-").FullName;
        try
        {
            var makerConfig = Config(dir, "maker", MakerDev, maker);
            var takerConfig = Config(dir, "taker", TakerDev, taker);
            var makerExt = await world.ExtBalanceAsync(Wallet.Dev(MakerDev).Address);
            var takerExt = await world.ExtBalanceAsync(Wallet.Dev(TakerDev).Address);
            var secretFile = Path.Combine(dir, "maker", "offer.secret");

            var posted = await CliSwapTests.CliAsync(dir, "swap", "offer", "post", "--gives", "native", "--native-amount", "7", "--chain", "ethereum",
                "--outside-amount", "0.25", "--my-outside-key", maker.EthReceive, "--new-secret", secretFile, "--lock-blocks", "900",
                "--outside-lock-seconds", "40", "--expires-in", "1000", "--from", $"dev:{MakerDev}", "--rpc", world.Ext.Rpc.Url, "--wait", "--json");
            Assert.True(posted.Exit == 0, posted.Output);
            var offerId = System.Text.Json.Nodes.JsonNode.Parse(posted.Output)!["offerId"]!.GetValue<string>();
            var secret = Hex.Decode(File.ReadAllText(secretFile).Trim());
            // Not taken yet: both parties' runs are refused, and nothing is started.
            var early = await CliSwapTests.CliAsync(dir, "swap", "run", "--offer", offerId, "--swap-config", takerConfig);
            Assert.True(early.Exit != 0 && early.Output.Contains("is open, not taken"), early.Output);
            var taken = await CliSwapTests.CliAsync(dir, "swap", "offer", "take", offerId, "--my-outside-key", taker.EthRefund,
                "--from", $"dev:{TakerDev}", "--rpc", world.Ext.Rpc.Url, "--wait");
            Assert.True(taken.Exit == 0, taken.Output);
            var noSecret = await CliSwapTests.CliAsync(dir, "swap", "run", "--offer", offerId, "--swap-config", makerConfig);
            Assert.True(noSecret.Exit != 0 && noSecret.Output.Contains("--secret"), noSecret.Output);

            using var makerRun = CliSwapTests.Start(dir, "swap", "run", "--offer", offerId, "--secret-file", secretFile, "--swap-config", makerConfig);
            var swapId = Convert.ToHexString(SHA256.HashData(secret)).ToLowerInvariant();
            var takerLog = Path.Combine(dir, "taker", "swaps", swapId + ".jsonl");
            using (var first = CliSwapTests.Start(dir, "swap", "run", "--offer", offerId, "--swap-config", takerConfig))
            {
                await Until.TrueAsync(() => Task.FromResult(File.Exists(takerLog) && File.ReadAllText(takerLog).Contains("\"counter_lock_accepted\"", StringComparison.Ordinal)),
                    Bound, "the taker's CLI accepts the take's HTLC");
                first.Process.Kill(entireProcessTree: true); // SIGKILL
                await first.Process.WaitForExitAsync();
            }
            var again = await CliSwapTests.CliAsync(dir, "swap", "run", "--offer", offerId, "--swap-config", takerConfig);
            Assert.True(again.Exit == 0, again.Output);
            Assert.Contains($"{swapId}: completed", again.Output);
            using (var wait = new CancellationTokenSource(Bound)) await makerRun.Process.WaitForExitAsync(wait.Token);
            lock (makerRun.Output) Assert.True(makerRun.Process.ExitCode == 0 && makerRun.Output.ToString().Contains($"{swapId}: completed"), makerRun.Output.ToString());

            var takerEvents = new SwapStore(Path.Combine(dir, "taker", "swaps")).Read(swapId);
            Assert.Single(takerEvents, e => e.Type == SwapEventTypes.OwnLockPrepared); // one ETH lock across the kill
            Assert.Equal(offerId, new SwapStore(Path.Combine(dir, "maker", "swaps")).Read(swapId).Single(e => e.Type == SwapEventTypes.OwnLockPrepared).Data["ref"]!.GetValue<string>());
            Assert.Equal(makerExt - (BigInteger)ExtAmount - Fee, await world.ExtBalanceAsync(Wallet.Dev(MakerDev).Address)); // post fee only
            Assert.Equal(takerExt + (BigInteger)ExtAmount - 2 * Fee, await world.ExtBalanceAsync(Wallet.Dev(TakerDev).Address)); // take and claim fees
            Assert.Equal(EthAmount, await world.EthBalanceAsync(maker.EthReceive));
            Assert.Equal(0, await world.EthBalanceAsync(taker.EthRefund));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A party's swap configuration for the CLI, in its own directory: dev key on ExCraft, the party's funded key on anvil.</summary>
    private string Config(string dir, string name, int devAccount, Party party)
    {
        var home = Directory.CreateDirectory(Path.Combine(dir, name)).FullName;
        var keyFile = Path.Combine(home, "eth.key");
        File.WriteAllText(keyFile, party.EthKey.GetPrivateKey());
        var config = Path.Combine(home, "swap.json");
        File.WriteAllText(config, new System.Text.Json.Nodes.JsonObject
        {
            ["dataDir"] = "swaps", ["safetyMarginSeconds"] = 15, ["minClaimWindowSeconds"] = 8, ["pollMilliseconds"] = 200,
            ["excraft"] = new System.Text.Json.Nodes.JsonObject { ["rpc"] = world.Ext.Rpc.Url, ["key"] = $"dev:{devAccount}", ["blockIntervalMs"] = 100 },
            ["ethereum"] = new System.Text.Json.Nodes.JsonObject { ["rpc"] = world.Anvil.Url, ["keyFile"] = keyFile, ["htlc"] = world.Htlc.ContractAddress },
        }.ToJsonString());
        return config;
    }

    /// <summary>Posts "maker gives 7 EXT for 0.25 ETH" with the maker's hash lock; returns the offer id.</summary>
    private async Task<string> PostAsync(Party maker, byte[] hashLock, ulong lockBlocks, ulong outsideLockSeconds)
    {
        var expiry = (ulong)await world.ExtHeightAsync() + 10_000;
        var payload = new SwapOfferPostPayload(SwapOfferSide.MakerGivesNative, "EXT", ExtAmount, SwapOfferRules.Ethereum, SwapOfferRules.Eth,
            (UInt128)EthAmount, Hex.Decode(maker.EthReceive), hashLock, lockBlocks, outsideLockSeconds, expiry);
        var nonce = await SendAsync(maker.ExtKey, payload);
        return Hex.Encode(SwapOfferRules.IdOf(maker.ExtKey.Address, nonce));
    }

    /// <summary>Takes the offer with the taker's outside refund address.</summary>
    private Task<ulong> TakeAsync(Party taker, string offerId) =>
        SendAsync(taker.ExtKey, new SwapOfferTakePayload(Hex.Decode(offerId), Hex.Decode(taker.EthRefund), []));

    /// <summary>Signs, sends and waits for a successful receipt; returns the nonce used.</summary>
    private async Task<ulong> SendAsync(PrivateKey key, TxPayload payload)
    {
        var nonce = (await world.Ext.Rpc.CallAsync("ext_getNonce", key.Address.ToString(), "pending"))!.GetValue<ulong>();
        var tx = Transaction.Create(Wallet.DevChainId, nonce, Wallet.Fee, payload, key);
        var hash = (await world.Ext.Rpc.CallAsync("ext_sendRawTransaction", Hex.Encode(tx.Encoded)))!.GetValue<string>();
        var receipt = await world.Ext.Rpc.WaitForReceiptAsync(hash);
        Assert.True(receipt["status"]!.GetValue<string>() == "success", receipt.ToJsonString());
        return nonce;
    }
}
