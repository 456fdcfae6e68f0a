using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Integration.Tests;

/// <summary>
/// The mempool's order limits as node options (--mempool-max-pending-orders,
/// --mempool-max-orders-per-block) on a real dev node: a lowered limit is enforced, cancels are
/// still admitted, and an out-of-range value stops the node with one clear line.
/// </summary>
public sealed class MempoolOrderLimitNodeTests : IDisposable
{
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 Ore = Amount.FromWhole(1, 6);
    private static readonly Address Bob = Wallet.Dev(1).Address;
    private readonly NodeProcess _node = new();

    public void Dispose() => _node.Dispose();

    /// <summary>Bob's sell of 10 ORE at 2 + i EXT (each on its own price level; nothing crosses).</summary>
    private static string Sell(int i, ulong nonce) => Wallet.Sign(1, new PlaceOrderPayload("ORE", "EXT", 1, 0, 0, (2 + (UInt128)i) * Ext, 10 * Ore, 0, 0, 0, 0), nonce);

    [Fact]
    public async Task A_lowered_pending_order_limit_refuses_the_next_order_but_admits_a_cancel()
    {
        // An hour between blocks: nothing leaves the mempool while the test runs, so what is pending is exactly what was sent.
        await _node.StartAsync("--block-interval-ms", "3600000", "--mempool-max-pending-orders", "2");
        Assert.NotNull(await _node.Rpc.CallAsync("ext_sendRawTransaction", Sell(0, 0)));
        Assert.NotNull(await _node.Rpc.CallAsync("ext_sendRawTransaction", Sell(1, 1)));

        var third = await _node.Rpc.CallRawAsync("ext_sendRawTransaction", Sell(2, 2));
        Assert.Contains($"account {Bob} already has 2 pending order transactions (the limit); cancels are still admitted", third.ToJsonString());
        Assert.NotNull(await _node.Rpc.CallAsync("ext_sendRawTransaction", Wallet.Sign(1, new CancelAllPayload("", ""), 2)));
        var info = (await _node.Rpc.CallAsync("ext_nodeInfo"))!;
        Assert.Equal((3, 0ul), (info["mempoolSize"]!.GetValue<int>(), info["height"]!.GetValue<ulong>()));
    }

    [Fact]
    public async Task A_lowered_per_block_order_limit_puts_each_order_in_its_own_block()
    {
        await _node.StartAsync("--mempool-max-orders-per-block", "1");
        var hashes = new List<string>();
        for (var i = 0; i < 3; i++) hashes.Add((await _node.Rpc.CallAsync("ext_sendRawTransaction", Sell(i, (ulong)i)))!.GetValue<string>());
        var heights = new List<ulong>();
        foreach (var hash in hashes)
        {
            var receipt = await _node.Rpc.WaitForReceiptAsync(hash);
            Assert.Equal("success", receipt["status"]!.GetValue<string>());
            heights.Add(receipt["blockHeight"]!.GetValue<ulong>());
        }
        // Whatever the timing, a block takes at most one of Bob's order transactions.
        Assert.True(heights[0] < heights[1] && heights[1] < heights[2], $"heights {string.Join(", ", heights)}");
        Assert.Equal(3, (await _node.Rpc.CallAsync("market_openOrders", Bob.ToString()))!.AsArray().Count);
    }

    [Theory]
    [InlineData("--mempool-max-pending-orders", "0", "--mempool-max-pending-orders must be between 1 and 1000, got 0")]
    [InlineData("--mempool-max-orders-per-block", "1001", "--mempool-max-orders-per-block must be between 1 and 1000, got 1001")]
    public async Task An_order_limit_out_of_range_stops_the_node_with_a_clear_error(string option, string value, string error)
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => _node.StartAsync(option, value));
        Assert.Contains(error, failure.Message);
    }
}
