using ExCraft.Core;
using ExCraft.Core.Transactions;
using ExCraft.Grpc.V1;
using static ExCraft.Integration.Tests.MarketTrading;

namespace ExCraft.Integration.Tests;

/// <summary>
/// excraft.v1.MarketsService.StreamBalances on a real dev node: a snapshot of Carol's balances,
/// then a message for the block of a transfer to her and one for the block where her buy fills,
/// each with the exact free and locked amounts and the block's height.
/// </summary>
public sealed class MarketGrpcBalancesStreamTests : MarketGrpcStreamKit
{
    private static readonly Address Carol = Wallet.Dev(2).Address;

    [Fact]
    public async Task A_transfer_and_a_fill_arrive_with_the_exact_balances()
    {
        var markets = new MarketsService.MarketsServiceClient(Channel);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(80));
        using var call = markets.StreamBalances(new AccountStreamRequest { Address = Carol.ToString() }, cancellationToken: stop.Token);
        var updates = new List<BalancesUpdate>();
        var reader = Collect(call.ResponseStream, updates, stop.Token);
        await Until.TrueAsync(() => Task.FromResult(Snapshot(updates).Count > 0), Wait, "the balances snapshot");
        var first = Snapshot(updates)[0];
        Assert.Equal((BalancesUpdate.Types.Kind.Snapshot, Carol.ToString()), (first.Kind, first.Account));
        var extStart = UInt128.Parse(first.Balances.Single(b => b.Asset == "EXT").Balance);
        var oreStart = UInt128.Parse(first.Balances.Single(b => b.Asset == "ORE").Balance);
        Assert.Equal(extStart.ToString(), await Node.Rpc.BalanceAsync(Carol.ToString()));
        Assert.All(first.Balances, b => Assert.Equal("0", b.Locked));

        // A transfer to Carol: one message at its block, EXT only.
        var transfer = await SendOkAsync(Node.Rpc, 0, new TransferPayload(Carol, "EXT", 5 * Ext), 0);
        var transferHeight = transfer["blockHeight"]!.GetValue<ulong>();
        await Until.TrueAsync(() => Task.FromResult(Snapshot(updates).Any(u => u.Height == transferHeight)), Wait, "the transfer's balances");
        var afterTransfer = Snapshot(updates).Single(u => u.Height == transferHeight);
        Assert.Equal(BalancesUpdate.Types.Kind.Changes, afterTransfer.Kind);
        Assert.Equal([("EXT", (extStart + 5 * Ext).ToString(), "0")], afterTransfer.Balances.Select(b => (b.Asset, b.Balance, b.Locked)));

        // Bob rests a sell (Carol untouched: no message), Carol buys into it: 10 ORE at 2 EXT, her taker fee 0.2% of the ORE.
        await SendOkAsync(Node.Rpc, 1, Limit(false, 2 * Ext, 10 * Ore), 0);
        var buy = await SendOkAsync(Node.Rpc, 2, Limit(true, 2 * Ext, 10 * Ore), 0);
        var fillHeight = buy["blockHeight"]!.GetValue<ulong>();
        await Until.TrueAsync(() => Task.FromResult(Snapshot(updates).Any(u => u.Height == fillHeight)), Wait, "the fill's balances");
        var afterFill = Snapshot(updates).Single(u => u.Height == fillHeight);
        Assert.Equal(
            [("EXT", (extStart + 5 * Ext - 20 * Ext - Wallet.Fee).ToString(), "0"), ("ORE", (oreStart + 10 * Ore - 2 * Ore / 100).ToString(), "0")],
            afterFill.Balances.Select(b => (b.Asset, b.Balance, b.Locked)));
        // Exactly three messages: nothing for blocks that did not touch Carol.
        Assert.Equal([first.Height, transferHeight, fillHeight], Snapshot(updates).Select(u => u.Height));

        await stop.CancelAsync();
        await reader;
    }
}
