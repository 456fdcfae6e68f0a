using System.Text.Json.Nodes;
using ExCraft.Chain.Modules.Poe;
using ExCraft.Cli;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;
using ExCraft.Node;

namespace ExCraft.Integration.Tests;

/// <summary>
/// PoE on a real dev node with 2 s epochs: accounts 1 (seller) and 2 (buyer) are registered, 3
/// (buyer) is not. Two trades on ORE/EXT; once their epochs are closed, the poe_* methods, each
/// entry's proof, `excraft poe verify`, and the rewards in balances against the report. Whether the
/// two trades fall in one epoch or two does not matter: every closed epoch up to the one open after
/// the trades is checked.
/// </summary>
public sealed class PoeRpcTests : IAsyncLifetime
{
    private const ulong EpochMs = 2_000;
    private readonly NodeProcess _node = new();
    private readonly string _genesisFile = Path.Combine(Path.GetTempPath(), "excraft-poe-genesis-" + Guid.NewGuid().ToString("N") + ".json");
    private static readonly Address[] Dev = Enumerable.Range(0, 4).Select(i => Wallet.Dev(i).Address).ToArray();
    private static readonly UInt128 ExtStart = Amount.FromWhole(1_000_000);
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 Ore = Amount.FromWhole(1, 6);

    private RpcClient Rpc => _node.Rpc;

    public Task InitializeAsync()
    {
        var dev = DevGenesis.Load();
        var json = GenesisJson.Write(dev with { Staking = dev.Staking with { EpochLengthMs = EpochMs } });
        foreach (var account in json["modules"]!["accounts"]!["accounts"]!.AsArray())
        {
            var address = account!["address"]!.GetValue<string>();
            if (address == Dev[1].ToString() || address == Dev[2].ToString()) account["registered"] = true;
        }
        File.WriteAllText(_genesisFile, json.ToJsonString());
        return _node.StartAsync("--genesis", _genesisFile);
    }

    public Task DisposeAsync()
    {
        _node.Dispose();
        File.Delete(_genesisFile);
        return Task.CompletedTask;
    }

    private static UInt128 Units(JsonNode? node) => UInt128.Parse(node!.GetValue<string>());

    private async Task SendAsync(int from, TxPayload payload)
    {
        var hash = (await Rpc.CallAsync("ext_sendRawTransaction", Wallet.Sign(from, payload, 0)))!.GetValue<string>();
        var receipt = await Rpc.WaitForReceiptAsync(hash);
        Assert.Equal("success", receipt["status"]!.GetValue<string>());
    }

    private static PlaceOrderPayload Limit(bool buy, UInt128 price, UInt128 size) => new("ORE", "EXT", buy ? (byte)0 : (byte)1, 0, 0, price, size, 0, 0, 0, 0);

    private static async Task<(int Code, string Out)> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Cli.Cli.RunAsync(args, stdout, stderr).WaitAsync(TimeSpan.FromSeconds(60));
        return (code, stdout.ToString() + stderr);
    }

    [Fact]
    public async Task Trades_give_a_report_whose_proofs_verify_and_whose_rewards_are_in_the_balances()
    {
        // 10 ORE offered at 2 EXT; account 2 takes 4 (pays 8 EXT), account 3 takes 6 (pays 12 EXT). Makers pay 0.1%, takers 0.2%.
        await SendAsync(1, Limit(false, 2 * Ext, 10 * Ore));
        await SendAsync(2, Limit(true, 2 * Ext, 4 * Ore));
        await SendAsync(3, Limit(true, 2 * Ext, 6 * Ore));
        var lastTradeEpoch = (await Rpc.CallAsync("poe_status"))!["openEpoch"]!.GetValue<ulong>(); // the trades are in this epoch or earlier

        // The parameters come from the dev genesis' "poe" section.
        var parameters = (await Rpc.CallAsync("poe_getParams"))!.AsObject();
        Assert.Equal(("EXT", 900_000ul), (parameters["referenceAsset"]!.GetValue<string>(), parameters["washCapPpm"]!.GetValue<ulong>()));

        // A proof for an epoch that has not closed is a clear error.
        var early = await Rpc.CallRawAsync("poe_getEntry", lastTradeEpoch + 1000, Dev[1].ToString());
        Assert.Equal(-32602, early["error"]!["code"]!.GetValue<int>());
        Assert.Contains("not closed", early["error"]!["message"]!.GetValue<string>());

        await Until.TrueAsync(async () => (await Rpc.CallAsync("poe_status"))!["lastClosedEpoch"]?.GetValue<ulong>() >= lastTradeEpoch,
            TimeSpan.FromSeconds(30), $"epoch {lastTradeEpoch} closed", () => _node.Output);

        var rewards = new UInt128[4];
        var counts = new ulong[4, 2];
        var tradedEpochs = new List<ulong>();
        for (var epoch = 0ul; epoch <= lastTradeEpoch; epoch++)
        {
            var report = (await Rpc.CallAsync("poe_getReport", epoch, 0, 1000))!.AsObject();
            if (report["entries"]!.GetValue<ulong>() == 0) continue;
            tradedEpochs.Add(epoch);
            var root = Hex.Decode(report["root"]!.GetValue<string>());
            Assert.Equal(report["root"]!.GetValue<string>(), (await Rpc.CallAsync("poe_getRoot", epoch))!["root"]!.GetValue<string>());
            var entries = report["entryList"]!.AsArray().Select(e => e!.AsObject()).ToList();
            Assert.Empty(PoeReportCheck.Report(report, entries)); // the chain's own report follows the rules

            for (var i = 1; i <= 3; i++)
            {
                var found = await Rpc.CallAsync("poe_getEntry", epoch, Dev[i].ToString());
                if (found is null) continue;
                var entry = PoeReportCheck.Entry(found["entry"]!.AsObject());
                var proof = found["proof"]!.AsArray().Select(s => new ProofStep(Hex.Decode(s!["hash"]!.GetValue<string>()), s["side"]!.GetValue<string>() == "left")).ToList();
                Assert.True(PoeMerkle.Verify(entry.LeafHash(), proof, root), $"proof of account {i} in epoch {epoch}");
                Assert.False(PoeMerkle.Verify((entry with { Reward = entry.Reward + 1 }).LeafHash(), proof, root), "a tampered entry must fail");
                Assert.Equal(PoeEntry.Mask(Dev[i], epoch), entry.MaskedId);
                Assert.Equal(i != 3, entry.Registered);
                rewards[i] += entry.Reward;
                counts[i, 0] += entry.Buys;
                counts[i, 1] += entry.Sells;
                // Independent reward bound: the wash guard (0.9 of fees in EXT) binds on the dev chain, whose share is huge next to these fees.
                Assert.Equal(i == 3 ? UInt128.Zero : entry.FeesValue * 9 / 10, entry.Reward);
            }

            var verify = await CliAsync("poe", "verify", "--epoch", epoch.ToString(), "--account", Dev[1].ToString(), "--rpc", Rpc.Url);
            Assert.True(verify.Code == 0, verify.Out);
            Assert.Contains("VERIFIED", verify.Out);

            // A tampered published entry is caught by the same check.
            var tampered = entries.Select(e => e.DeepClone().AsObject()).ToList();
            tampered[0]["reward"] = (Units(tampered[0]["reward"]) + 1).ToString();
            Assert.NotEmpty(PoeReportCheck.Report(report, tampered));
        }
        Assert.NotEmpty(tradedEpochs);
        Assert.Equal((0ul, 2ul), (counts[1, 0], counts[1, 1]));
        Assert.Equal((1ul, 0ul), (counts[2, 0], counts[2, 1]));
        Assert.Equal((1ul, 0ul), (counts[3, 0], counts[3, 1]));
        // Account 1's fees: 0.008 + 0.012 EXT, so 0.018 EXT of reward; account 2's: 0.008 ORE at 2 EXT = 0.016 EXT, so 0.0144 EXT.
        Assert.Equal(18 * Ext / 1000, rewards[1]);
        Assert.Equal(144 * Ext / 10_000, rewards[2]);

        // Balances: exactly the trades plus the report's rewards (the unregistered buyer gets none).
        Assert.Equal((ExtStart - Wallet.Fee + 20 * Ext - 20 * Ext / 1000 + rewards[1]).ToString(), await Rpc.BalanceAsync(Dev[1].ToString()));
        Assert.Equal((ExtStart - Wallet.Fee - 8 * Ext + rewards[2]).ToString(), await Rpc.BalanceAsync(Dev[2].ToString()));
        Assert.Equal((ExtStart - Wallet.Fee - 12 * Ext).ToString(), await Rpc.BalanceAsync(Dev[3].ToString()));

        // The account range and the closing price of ORE (2 EXT, direct) in the epoch of the last trade.
        var range = (await Rpc.CallAsync("poe_getAccount", Dev[1].ToString(), 0, lastTradeEpoch))!.AsArray();
        Assert.Equal(rewards[1], range.Aggregate(UInt128.Zero, (sum, l) => sum + Units(l!["reward"])));
        var prices = (await Rpc.CallAsync("poe_getClosingPrices", tradedEpochs[^1]))!.AsArray();
        var ore = prices.Single(p => p!["asset"]!.GetValue<string>() == "ORE")!;
        Assert.Equal(((2 * Ext).ToString(), "direct"), (ore["price"]!.GetValue<string>(), ore["source"]!.GetValue<string>()));

        var report0 = await CliAsync("poe", "report", "--epoch", tradedEpochs[0].ToString(), "--rpc", Rpc.Url);
        Assert.True(report0.Code == 0, report0.Out);
        Assert.Contains("ORE/EXT", report0.Out);
        var show = await CliAsync("poe", "show", Dev[1].ToString(), "--first", "0", "--last", lastTradeEpoch.ToString(), "--json", "--rpc", Rpc.Url);
        Assert.True(show.Code == 0, show.Out);
        Assert.Equal(rewards[1], JsonNode.Parse(show.Out)!.AsArray().Aggregate(UInt128.Zero, (sum, l) => sum + Units(l!["reward"])));
        // Verifying an epoch that has not closed is the node's clear refusal (exit 3), not a verdict.
        var notClosed = await CliAsync("poe", "verify", "--epoch", (lastTradeEpoch + 1000).ToString(), "--rpc", Rpc.Url);
        Assert.Equal(3, notClosed.Code);
        Assert.Contains("not closed", notClosed.Out);
    }
}
