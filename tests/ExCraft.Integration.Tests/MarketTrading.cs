using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Integration.Tests;

/// <summary>Orders on the dev chain's ORE/EXT market for the market-data tests: sign, send, wait for the receipt.</summary>
public static class MarketTrading
{
    public const string Market = "ORE/EXT";
    public static readonly UInt128 Ext = Amount.FromWhole(1);
    public static readonly UInt128 Ore = Amount.FromWhole(1, 6);

    public static PlaceOrderPayload Limit(bool buy, UInt128 price, UInt128 size, byte timeInForce = 0) =>
        new("ORE", "EXT", buy ? (byte)0 : (byte)1, 0, timeInForce, price, size, 0, 0, 0, 0);

    public static PlaceOrderPayload PostOnly(bool buy, UInt128 price, UInt128 size) => Limit(buy, price, size, timeInForce: 3);

    /// <summary>Sends and waits for the receipt; returns it (success or not).</summary>
    public static async Task<JsonNode> SendAsync(RpcClient rpc, int account, TxPayload payload, ulong nonce)
    {
        var hash = (await rpc.CallAsync("ext_sendRawTransaction", Wallet.Sign(account, payload, nonce)))!.GetValue<string>();
        return await rpc.WaitForReceiptAsync(hash);
    }

    public static async Task<JsonNode> SendOkAsync(RpcClient rpc, int account, TxPayload payload, ulong nonce)
    {
        var receipt = await SendAsync(rpc, account, payload, nonce);
        Assert.True(receipt["status"]!.GetValue<string>() == "success", receipt.ToJsonString());
        return receipt;
    }
}
