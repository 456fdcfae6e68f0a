using System.Text.Json.Nodes;
using ExCraft.Core.Transactions;
using static ExCraft.Integration.Tests.MarketTrading;

namespace ExCraft.Integration.Tests;

/// <summary>
/// Issue 9's "the epoch end must not make a testnet miss a round": four validator processes with
/// short epochs, traders trading ORE/EXT across several epoch ends (each epoch's PoE report is closed
/// and its rewards paid in the block after its last one: the close spread over blocks, docs/poe.md,
/// fits one block at this size), then every epoch-end height since the chain ran steadily and every
/// close block must have been decided in round 0 (the round is in the next block's commit) and the
/// validators must agree on those blocks.
/// </summary>
public sealed class TestnetEpochEndTests : IDisposable
{
    private const ulong ChainId = 9547; // TestnetGenesis.ChainId
    private const int EpochEndsWithTrades = 3;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);
    private readonly LocalTestnet _net = new();
    private readonly Dictionary<int, ulong> _nonces = [];

    public void Dispose() => _net.Dispose();

    private async Task<JsonNode> SendOkAsync(RpcClient rpc, int account, TxPayload payload)
    {
        var nonce = _nonces.GetValueOrDefault(account);
        var hash = (await rpc.CallAsync("ext_sendRawTransaction", Wallet.Sign(account, payload, nonce, ChainId)))!.GetValue<string>();
        _nonces[account] = nonce + 1;
        var receipt = await rpc.WaitForReceiptAsync(hash, Wait);
        Assert.True(receipt["status"]!.GetValue<string>() == "success", receipt.ToJsonString());
        return receipt;
    }

    [Fact]
    public async Task Every_epoch_end_with_trades_is_decided_in_round_0()
    {
        await _net.UpAsync(4, "--block-interval-ms", "300", "--epoch-ms", "2400");
        using var rpc = _net.Rpc(0);
        using var rpc2 = _net.Rpc(2);
        // Registered traders get PoE rewards. The chain is running steadily once these are in: its first blocks, made while the
        // validators were still connecting (and, with genesis seconds in the past, already ending epochs), are not what is measured.
        var running = 0UL;
        for (var trader = 1; trader <= 4; trader++) running = (await SendOkAsync(rpc, trader, new RegisterPayload()))["blockHeight"]!.GetValue<ulong>();

        // Trade until EpochEndsWithTrades closed epochs have reports with entries: a maker sells 1 ORE at 2 EXT, a taker (sent to
        // another node) buys it. Each closed epoch is looked at once, when it is first seen closed.
        // The last epoch whose report is finished (null before the first): an ended epoch's report comes a block after its end.
        async Task<ulong?> LastClosedAsync() => (await rpc.CallAsync("poe_status"))!["lastClosedEpoch"]?.GetValue<ulong>();
        var closedWithTrades = 0;
        var nextToCheck = 0UL;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var round = 0; closedWithTrades < EpochEndsWithTrades; round++)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{closedWithTrades} closed epochs with trades within 60 s\n{_net.Logs()}");
            var (maker, taker) = round % 2 == 0 ? (1, 2) : (3, 4);
            await SendOkAsync(rpc, maker, Limit(false, 2 * Ext, 1 * Ore));
            await SendOkAsync(rpc2, taker, Limit(true, 2 * Ext, 1 * Ore));
            for (var closed = await LastClosedAsync(); closed is { } last && nextToCheck <= last; nextToCheck++)
            {
                if ((await rpc.CallAsync("poe_getRoot", nextToCheck))!["entries"]!.GetValue<ulong>() > 0) closedWithTrades++;
            }
        }

        // Every close since then: its height (the block with the poe_report event), its report, and the rounds its epoch's last block
        // (the block before: a close of a few accounts finishes in the block after the epoch's end) and it were decided in.
        var head = (await rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>();
        await _net.WaitForHeightAsync(0, head + 1, Wait); // the commit of the head is in the next block
        var epochEnds = new List<(ulong Epoch, ulong Height, ulong Entries)>();
        for (var h = running; h <= head; h++)
        {
            var report = (await rpc.CallAsync("ext_getBlockEvents", h))!.AsArray().FirstOrDefault(e => e!["type"]!.GetValue<string>() == "poe_report");
            if (report is null) continue;
            var attributes = report["attributes"]!;
            epochEnds.Add((ulong.Parse(attributes["epoch"]!.GetValue<string>()), h, ulong.Parse(attributes["entries"]!.GetValue<string>())));
        }
        Assert.True(epochEnds.Count(e => e.Entries > 0) >= EpochEndsWithTrades,
            $"epoch ends with a PoE report of traders: {string.Join(", ", epochEnds.Select(e => $"epoch {e.Epoch} at {e.Height}: {e.Entries} entries"))}");

        var rounds = new List<(ulong Epoch, ulong Height, ulong Round)>();
        foreach (var (epoch, closeHeight, _) in epochEnds)
        {
            foreach (var height in new[] { closeHeight - 1, closeHeight })
            {
                var commit = (await rpc.CallAsync("ext_getBlockByNumber", height + 1))!["lastCommit"]!;
                Assert.Equal(height, commit["height"]!.GetValue<ulong>());
                rounds.Add((epoch, height, commit["round"]!.GetValue<ulong>()));
            }
        }
        Assert.True(rounds.All(r => r.Round == 0), $"epoch-end and close heights and their rounds: {string.Join(", ", rounds.Select(r => $"epoch {r.Epoch} at {r.Height}: round {r.Round}"))}\n{_net.Logs()}");

        // The validators agree on each epoch-end block (and so on its report, payouts and app hash).
        foreach (var (_, height, _) in epochEnds.Where(e => e.Entries > 0))
        {
            var blocks = new List<(string, string)>();
            for (var node = 0; node < 4; node++)
            {
                await _net.WaitForHeightAsync(node, height, Wait);
                var block = await _net.BlockAsync(node, height);
                blocks.Add((block["hash"]!.GetValue<string>(), block["appHash"]!.GetValue<string>()));
            }
            Assert.All(blocks, b => Assert.Equal(blocks[0], b));
        }
    }
}
