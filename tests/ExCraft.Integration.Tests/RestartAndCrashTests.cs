using System.Text.Json.Nodes;
using ExCraft.Core;

namespace ExCraft.Integration.Tests;

public sealed class RestartAndCrashTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "excraft-it-" + Guid.NewGuid().ToString("N"));
    private static readonly Address Bob = Wallet.Dev(1).Address;
    private static readonly UInt128 GenesisTotal = Amount.FromWhole(10 * 1_000_000 + 10);

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    private static async Task<UInt128> TotalExtAsync(RpcClient rpc)
    {
        UInt128 total = UInt128.Parse(await rpc.BalanceAsync(Core.Genesis.DevKeys.Validator.Address.ToString()));
        for (var i = 0; i < 10; i++) total += UInt128.Parse(await rpc.BalanceAsync(Wallet.Dev(i).Address.ToString()));
        return total;
    }

    private static async Task<ulong[]> CommittedNoncesAsync(RpcClient rpc)
    {
        var nonces = new ulong[10];
        for (var i = 0; i < nonces.Length; i++) nonces[i] = (await rpc.CallAsync("ext_getNonce", Wallet.Dev(i).Address.ToString()))!.GetValue<ulong>();
        return nonces;
    }

    private static async Task<ulong> CommittedTransactionsAsync(RpcClient rpc) => (await CommittedNoncesAsync(rpc)).Aggregate(0UL, (sum, n) => sum + n);

    [Fact]
    public async Task Graceful_restart_keeps_blocks_state_and_app_hash()
    {
        string block, bobBalance;
        ulong height;
        using (var node = new NodeProcess(_dataDir))
        {
            await node.StartAsync();
            string last = "";
            for (ulong n = 0; n < 5; n++) last = (await node.Rpc.CallAsync("ext_sendRawTransaction", Wallet.Transfer(0, Bob, 1_000 + n, n)))!.GetValue<string>();
            height = (await node.Rpc.WaitForReceiptAsync(last))["blockHeight"]!.GetValue<ulong>();
            block = (await node.Rpc.CallAsync("ext_getBlockByNumber", height, true))!.ToJsonString();
            bobBalance = await node.Rpc.BalanceAsync(Bob.ToString());
            await node.StopAsync();
        }

        JsonNode? firstInfo = null;
        for (var restart = 0; restart < 2; restart++)
        {
            using var node = new NodeProcess(_dataDir);
            await node.StartAsync("--block-interval-ms", "600000"); // no new block while we look
            var info = (await node.Rpc.CallAsync("ext_nodeInfo"))!;
            Assert.True(info["height"]!.GetValue<ulong>() >= height);
            Assert.Equal(block, (await node.Rpc.CallAsync("ext_getBlockByNumber", height, true))!.ToJsonString());
            Assert.Equal(bobBalance, await node.Rpc.BalanceAsync(Bob.ToString()));
            Assert.Equal(5UL, (await node.Rpc.CallAsync("ext_getNonce", Wallet.Dev(0).Address.ToString()))!.GetValue<ulong>());
            Assert.Equal(GenesisTotal, await TotalExtAsync(node.Rpc));
            if (firstInfo is null) firstInfo = info;
            else
            {
                Assert.Equal(firstInfo["height"]!.GetValue<ulong>(), info["height"]!.GetValue<ulong>());
                Assert.Equal(firstInfo["headHash"]!.GetValue<string>(), info["headHash"]!.GetValue<string>());
                Assert.Equal(firstInfo["appHash"]!.GetValue<string>(), info["appHash"]!.GetValue<string>());
            }
            await node.StopAsync();
        }
    }

    [Fact]
    public async Task Kill_9_under_load_loses_no_committed_block_and_leaves_no_partial_one()
    {
        ulong headBeforeKill;
        ulong[] noncesBeforeKill;
        List<string> committedBeforeKill;
        using (var node = new NodeProcess(_dataDir))
        {
            await node.StartAsync("--block-interval-ms", "50");
            using var stopLoad = new CancellationTokenSource();
            var nonces = new ulong[10];
            var load = Task.Run(async () =>
            {
                while (!stopLoad.IsCancellationRequested)
                {
                    var batch = new JsonArray();
                    for (var i = 0; i < 10; i++)
                    {
                        for (var k = 0; k < 20; k++)
                            batch.Add(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = batch.Count, ["method"] = "ext_sendRawTransaction", ["params"] = new JsonArray(Wallet.Transfer(i, Wallet.Dev((i + 1) % 10).Address, 1, nonces[i]++)) });
                    }
                    try { await node.Rpc.PostAsync(batch.ToJsonString()); }
                    catch (HttpRequestException) { return; }
                    catch (TaskCanceledException) { return; }
                }
            });
            // Wait for what is asserted after the restart: transactions committed (not a height, which
            // 50 ms blocks reach before the first batch is even admitted), over several blocks.
            await Until.TrueAsync(async () => await CommittedTransactionsAsync(node.Rpc) >= 400 && (await node.Rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>() >= 15,
                TimeSpan.FromSeconds(60), "400 committed transactions and height 15 under load", () => node.Output);
            headBeforeKill = (await node.Rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>();
            noncesBeforeKill = await CommittedNoncesAsync(node.Rpc);
            committedBeforeKill = (await node.Rpc.CallAsync("ext_getBlockByNumber", headBeforeKill, false))!["transactions"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
            node.KillHard();
            await stopLoad.CancelAsync();
            await load;
        }

        using (var node = new NodeProcess(_dataDir))
        {
            await node.StartAsync("--block-interval-ms", "600000");
            var head = (await node.Rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>();
            Assert.True(head >= headBeforeKill, $"head {head} is behind {headBeforeKill}, which was committed before the kill");
            foreach (var hash in committedBeforeKill)
                Assert.Equal(headBeforeKill, (await node.Rpc.CallAsync("ext_getTransactionReceipt", hash))!["blockHeight"]!.GetValue<ulong>());
            // Every transaction committed before the kill is still committed: no account's nonce went back.
            var nonces = await CommittedNoncesAsync(node.Rpc);
            for (var i = 0; i < nonces.Length; i++) Assert.True(nonces[i] >= noncesBeforeKill[i], $"dev account {i}: nonce {nonces[i]} after the restart, {noncesBeforeKill[i]} before the kill");

            // Every block up to the head is whole: linked, and each transaction has its receipt at its place.
            var transactions = 0;
            string? previous = null;
            for (ulong h = 1; h <= head; h++)
            {
                var block = (await node.Rpc.CallAsync("ext_getBlockByNumber", h, false))!;
                if (previous is not null) Assert.Equal(previous, block["previousHash"]!.GetValue<string>());
                previous = block["hash"]!.GetValue<string>();
                var hashes = block["transactions"]!.AsArray();
                for (var i = 0; i < hashes.Count; i++)
                {
                    var receipt = (await node.Rpc.CallAsync("ext_getTransactionReceipt", hashes[i]!.GetValue<string>()))!;
                    Assert.Equal(h, receipt["blockHeight"]!.GetValue<ulong>());
                    Assert.Equal(i, receipt["index"]!.GetValue<int>());
                }
                transactions += hashes.Count;
            }
            Assert.Equal(nonces.Aggregate(0UL, (sum, n) => sum + n), (ulong)transactions); // each committed transaction is in exactly one block
            Assert.Null(await node.Rpc.CallAsync("ext_getBlockByNumber", head + 1, false));
            Assert.Equal(GenesisTotal, await TotalExtAsync(node.Rpc)); // fees go to the validator: nothing minted or lost
            await node.StopAsync();
        }

        // And it goes on producing blocks that include new transactions.
        using (var node = new NodeProcess(_dataDir))
        {
            await node.StartAsync();
            var nonce = (await node.Rpc.CallAsync("ext_getNonce", Wallet.Dev(9).Address.ToString(), "pending"))!.GetValue<ulong>();
            var hash = (await node.Rpc.CallAsync("ext_sendRawTransaction", Wallet.Transfer(9, Bob, 5, nonce)))!.GetValue<string>();
            Assert.Equal("success", (await node.Rpc.WaitForReceiptAsync(hash))["status"]!.GetValue<string>());
        }
    }
}
