using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Integration.Tests;

/// <summary>
/// The genesis ORE/EXT market of the dev chain over JSON-RPC: two accounts trade, balances and
/// fees are exact, depth, orders and trades read back, and a cancel returns the funds.
/// </summary>
public sealed class MarketRpcTests : NodeTest
{
    private static readonly Address Alice = Wallet.Dev(0).Address;
    private static readonly Address Bob = Wallet.Dev(1).Address;
    private static readonly UInt128 ExtStart = Amount.FromWhole(1_000_000);
    private static readonly UInt128 OreStart = Amount.FromWhole(100_000, 6);
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 Ore = Amount.FromWhole(1, 6);

    private async Task<JsonNode> SendAndWaitAsync(string raw)
    {
        var hash = (await Rpc.CallAsync("ext_sendRawTransaction", raw))!.GetValue<string>();
        var receipt = await Rpc.WaitForReceiptAsync(hash);
        Assert.Equal("success", receipt["status"]!.GetValue<string>());
        return receipt;
    }

    private static PlaceOrderPayload Limit(bool buy, UInt128 price, UInt128 size) => new("ORE", "EXT", buy ? (byte)0 : (byte)1, 0, 0, price, size, 0, 0, 0, 0);

    [Fact]
    public async Task Two_accounts_trade_with_exact_balances_and_fees_and_a_cancel_returns_the_rest()
    {
        var market = (await Rpc.CallAsync("market_get", "ORE/EXT"))!;
        Assert.Equal("active", market["status"]!.GetValue<string>());
        Assert.Equal(Ore.ToString(), market["priceScale"]!.GetValue<string>());
        Assert.Single((await Rpc.CallAsync("market_list"))!.AsArray());

        await SendAndWaitAsync(Wallet.Sign(0, Limit(false, 2 * Ext, 10 * Ore), 0));
        var depth = (await Rpc.CallAsync("market_depth", "ORE/EXT", 5))!;
        var ask = Assert.Single(depth["asks"]!.AsArray())!;
        Assert.Equal(((2 * Ext).ToString(), (10 * Ore).ToString(), 1), (ask["price"]!.GetValue<string>(), ask["size"]!.GetValue<string>(), ask["orders"]!.GetValue<int>()));
        Assert.Empty(depth["bids"]!.AsArray());

        await SendAndWaitAsync(Wallet.Sign(1, Limit(true, 3 * Ext, 4 * Ore), 0));

        // 4 ORE at the resting 2 EXT: Bob (taker, 0.2%) pays 8 EXT and gets 3.992 ORE; Alice (maker, 0.1%) gets 7.992 EXT.
        Assert.Equal((ExtStart - Wallet.Fee - 8 * Ext).ToString(), await Rpc.BalanceAsync(Bob.ToString()));
        Assert.Equal((OreStart + 4 * Ore - 8_000).ToString(), await Rpc.BalanceAsync(Bob.ToString(), "ORE"));
        Assert.Equal((ExtStart - Wallet.Fee + 8 * Ext - 8 * Ext / 1000).ToString(), await Rpc.BalanceAsync(Alice.ToString()));
        Assert.Equal((OreStart - 10 * Ore).ToString(), await Rpc.BalanceAsync(Alice.ToString(), "ORE"));
        var pools = (await Rpc.CallAsync("market_feePools"))!.AsArray();
        Assert.Equal([("EXT", (8 * Ext / 1000).ToString()), ("ORE", "8000")],
            pools.Select(p => (p!["asset"]!.GetValue<string>(), p["amount"]!.GetValue<string>())));

        var trade = Assert.Single((await Rpc.CallAsync("market_trades", "ORE/EXT", 1, 10))!.AsArray())!;
        Assert.Equal(Bob.ToString(), trade["buyer"]!.GetValue<string>());
        Assert.Equal(Alice.ToString(), trade["seller"]!.GetValue<string>());
        Assert.Equal((2 * Ext).ToString(), trade["price"]!.GetValue<string>());
        Assert.Equal((4 * Ore).ToString(), trade["baseAmount"]!.GetValue<string>());
        Assert.Equal((8 * Ext).ToString(), trade["quoteAmount"]!.GetValue<string>());
        Assert.Equal("8000", trade["buyerFee"]!.GetValue<string>());
        Assert.Equal((8 * Ext / 1000).ToString(), trade["sellerFee"]!.GetValue<string>());
        Assert.Equal("buy", trade["takerSide"]!.GetValue<string>());

        var open = Assert.Single((await Rpc.CallAsync("market_openOrders", Alice.ToString()))!.AsArray())!;
        Assert.Equal(1ul, open["id"]!.GetValue<ulong>());
        Assert.Equal((6 * Ore).ToString(), open["remaining"]!.GetValue<string>());
        Assert.Equal((6 * Ore).ToString(), (await Rpc.CallAsync("market_getOrder", "ORE/EXT", 1))!["locked"]!.GetValue<string>());
        Assert.Empty((await Rpc.CallAsync("market_openOrders", Bob.ToString()))!.AsArray());

        await SendAndWaitAsync(Wallet.Sign(0, new CancelOrderPayload("ORE", "EXT", 1, 0), 1));
        Assert.Equal((OreStart - 4 * Ore).ToString(), await Rpc.BalanceAsync(Alice.ToString(), "ORE"));
        Assert.Null(await Rpc.CallAsync("market_getOrder", "ORE/EXT", 1));
        Assert.Empty((await Rpc.CallAsync("market_depth", "ORE/EXT"))!["asks"]!.AsArray());
    }

    [Fact]
    public async Task A_bad_market_name_is_an_invalid_params_error()
    {
        var response = await Rpc.CallRawAsync("market_depth", "OREEXT");
        Assert.Equal(-32602, response["error"]!["code"]!.GetValue<int>());
        Assert.Null(await Rpc.CallAsync("market_get", "EXT/ORE"));
    }
}
