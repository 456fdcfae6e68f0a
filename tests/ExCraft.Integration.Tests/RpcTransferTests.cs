using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Integration.Tests;

public sealed class RpcTransferTests : NodeTest
{
    private static readonly string Alice = Wallet.Dev(0).Address.ToString();
    private static readonly Address Bob = Wallet.Dev(1).Address;

    [Fact]
    public async Task Transfers_over_rpc_move_balances_and_produce_receipts()
    {
        Assert.Equal(9545UL, (await Rpc.CallAsync("ext_chainId"))!.GetValue<ulong>());
        var bobBefore = UInt128.Parse(await Rpc.BalanceAsync(Bob.ToString()));
        var amount = Amount.Parse("2.25");

        var first = (await Rpc.CallAsync("ext_sendRawTransaction", Wallet.Transfer(0, Bob, amount, 0)))!.GetValue<string>();
        var second = (await Rpc.CallAsync("ext_sendRawTransaction", Wallet.Transfer(0, Bob, amount, 1)))!.GetValue<string>();
        Assert.Equal(2UL, (await Rpc.CallAsync("ext_getNonce", Alice, "pending"))!.GetValue<ulong>());

        var receipt = await Rpc.WaitForReceiptAsync(second);
        await Rpc.WaitForReceiptAsync(first);
        Assert.Equal("success", receipt["status"]!.GetValue<string>());
        Assert.Equal(Wallet.Fee.ToString(), receipt["feePaid"]!.GetValue<string>());
        var transfer = receipt["events"]![0]!;
        Assert.Equal("transfer", transfer["type"]!.GetValue<string>());
        Assert.Equal(Bob.ToString(), transfer["attributes"]!["to"]!.GetValue<string>());
        Assert.Equal(amount.ToString(), transfer["attributes"]!["amount"]!.GetValue<string>());

        Assert.Equal((bobBefore + amount * 2).ToString(), await Rpc.BalanceAsync(Bob.ToString()));
        var aliceExpected = Amount.FromWhole(1_000_000) - amount * 2 - Wallet.Fee * 2;
        Assert.Equal(aliceExpected.ToString(), await Rpc.BalanceAsync(Alice));
        Assert.Equal(2UL, (await Rpc.CallAsync("ext_getNonce", Alice))!.GetValue<ulong>());

        var tx = (await Rpc.CallAsync("ext_getTransaction", first))!;
        Assert.Equal(Alice, tx["from"]!.GetValue<string>());
        Assert.False(tx["pending"]!.GetValue<bool>());
        var height = tx["blockHeight"]!.GetValue<ulong>();
        var block = (await Rpc.CallAsync("ext_getBlockByNumber", height, true))!;
        Assert.Contains(block["transactions"]!.AsArray(), t => t!["hash"]!.GetValue<string>() == first);
        var byHash = (await Rpc.CallAsync("ext_getBlockByHash", block["hash"]!.GetValue<string>()))!;
        Assert.Equal(height, byHash["height"]!.GetValue<ulong>());

        var history = (await Rpc.CallAsync("ext_getAccountTransactions", Bob.ToString(), 10))!.AsArray().Select(h => h!.GetValue<string>()).ToList();
        Assert.Equal([second, first], history);

        // Prometheus metrics count what was committed.
        using var http = new HttpClient();
        string[] metrics = [];
        ulong Metric(string name) => ulong.Parse(metrics.Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1]);
        // The counters are updated just after the block is stored (and its receipts readable): wait for them, bounded.
        await Until.TrueAsync(async () =>
        {
            metrics = (await http.GetStringAsync(Rpc.Url + "metrics")).Split('\n');
            return Metric("excraft_transactions_committed_total") >= 2;
        }, TimeSpan.FromSeconds(10), "excraft_transactions_committed_total counts both transactions");
        Assert.Equal(2UL, Metric("excraft_transactions_committed_total"));
        Assert.True(Metric("excraft_height") >= height);
        Assert.Contains(metrics, l => l.StartsWith("excraft_validator_missed_blocks_total{validator=\"", StringComparison.Ordinal) && l.EndsWith(" 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Issued_asset_is_listed_and_transferable()
    {
        var issue = (await Rpc.CallAsync("ext_sendRawTransaction", Wallet.Sign(2, new IssueAssetPayload("CRAFT", 4, 1_000_000), 0)))!.GetValue<string>();
        await Rpc.WaitForReceiptAsync(issue);
        var asset = (await Rpc.CallAsync("ext_getAsset", "CRAFT"))!;
        Assert.Equal("1000000", asset["supply"]!.GetValue<string>());
        Assert.Equal(Wallet.Dev(2).Address.ToString(), asset["issuer"]!.GetValue<string>());
        var symbols = (await Rpc.CallAsync("ext_listAssets"))!.AsArray().Select(a => a!["symbol"]!.GetValue<string>()).ToList();
        Assert.Equal(["CRAFT", "EXT", "ORE"], symbols); // ORE: the dev genesis ORE/EXT market's base

        var send = (await Rpc.CallAsync("ext_sendRawTransaction", Wallet.Transfer(2, Bob, 2_500, 1, "CRAFT")))!.GetValue<string>();
        await Rpc.WaitForReceiptAsync(send);
        var balance = (await Rpc.CallAsync("ext_getBalance", Bob.ToString(), "CRAFT"))!;
        Assert.Equal("2500", balance["balance"]!.GetValue<string>());
        Assert.Equal("0.25", balance["formatted"]!.GetValue<string>());
        var all = (await Rpc.CallAsync("ext_getBalances", Bob.ToString()))!.AsArray();
        Assert.Equal(["CRAFT", "EXT", "ORE"], all.Select(b => b!["asset"]!.GetValue<string>())); // dev accounts 0-3 hold genesis ORE
    }

    [Fact]
    public async Task Batch_of_transactions_is_accepted_in_one_request()
    {
        var batch = new JsonArray();
        for (var i = 0; i < 50; i++)
            batch.Add(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = i, ["method"] = "ext_sendRawTransaction", ["params"] = new JsonArray(Wallet.Transfer(3, Bob, 1, (ulong)i)) });
        batch.Add(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 99, ["method"] = "ext_blockNumber" });
        var (status, body) = await Rpc.PostAsync(batch.ToJsonString());
        Assert.Equal(200, status);
        var responses = body!.AsArray();
        Assert.Equal(51, responses.Count);
        Assert.All(responses.Take(50), r => Assert.Null(r!["error"]));
        await Rpc.WaitForReceiptAsync(responses[49]!["result"]!.GetValue<string>());
        Assert.Equal(50UL, (await Rpc.CallAsync("ext_getNonce", Wallet.Dev(3).Address.ToString()))!.GetValue<ulong>());
    }
}
