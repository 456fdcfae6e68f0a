using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Integration.Tests;

/// <summary>
/// Agent keys on a real dev node: Alice authorizes a key that holds nothing, `market_agents`
/// lists it, the key places and cancels an order for Alice over JSON-RPC and Alice pays the fees.
/// </summary>
public sealed class MarketAgentRpcTests : NodeTest
{
    private static readonly Address Alice = Wallet.Dev(0).Address;
    private static readonly PrivateKey AgentKey = Wallet.Dev(42); // not funded in the dev genesis
    private static readonly UInt128 ExtStart = Amount.FromWhole(1_000_000);
    private static readonly UInt128 OreStart = Amount.FromWhole(100_000, 6);
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 Ore = Amount.FromWhole(1, 6);

    private async Task SendAndWaitAsync(string raw)
    {
        var hash = (await Rpc.CallAsync("ext_sendRawTransaction", raw))!.GetValue<string>();
        var receipt = await Rpc.WaitForReceiptAsync(hash);
        Assert.Equal("success", receipt["status"]!.GetValue<string>());
    }

    private static string AgentSigns(TxPayload action, ulong nonce) =>
        Hex.Encode(Transaction.Create(Wallet.DevChainId, nonce, Wallet.Fee, new AgentActionPayload(Alice, action), AgentKey).Encoded);

    [Fact]
    public async Task An_unfunded_agent_trades_for_its_account_which_pays_the_fees()
    {
        Assert.Empty((await Rpc.CallAsync("market_agents", Alice.ToString()))!.AsArray());
        await SendAndWaitAsync(Wallet.Sign(0, new AuthorizeAgentPayload(AgentKey.Address, 1_000_000), 0));
        var agent = Assert.Single((await Rpc.CallAsync("market_agents", Alice.ToString()))!.AsArray())!;
        Assert.Equal((AgentKey.Address.ToString(), 1_000_000ul, true),
            (agent["agent"]!.GetValue<string>(), agent["expiryHeight"]!.GetValue<ulong>(), agent["active"]!.GetValue<bool>()));

        await SendAndWaitAsync(AgentSigns(new PlaceOrderPayload("ORE", "EXT", 1, 0, 0, 2 * Ext, 10 * Ore, 0, 9, 0, 0), 0));
        var order = Assert.Single((await Rpc.CallAsync("market_openOrders", Alice.ToString()))!.AsArray())!;
        Assert.Equal("9", order["clientOrderId"]!.ToString());
        Assert.Equal((OreStart - 10 * Ore).ToString(), await Rpc.BalanceAsync(Alice.ToString(), "ORE"));

        await SendAndWaitAsync(AgentSigns(new CancelAllPayload("", ""), 1));
        Assert.Empty((await Rpc.CallAsync("market_openOrders", Alice.ToString()))!.AsArray());
        Assert.Equal(OreStart.ToString(), await Rpc.BalanceAsync(Alice.ToString(), "ORE"));
        Assert.Equal((ExtStart - 3 * Wallet.Fee).ToString(), await Rpc.BalanceAsync(Alice.ToString()));
        Assert.Equal("0", await Rpc.BalanceAsync(AgentKey.Address.ToString()));

        // Anything but a market action is refused before the mempool.
        var refused = await Rpc.CallRawAsync("ext_sendRawTransaction", AgentSigns(new TransferPayload(AgentKey.Address, "EXT", Ext), 2));
        Assert.Contains("an agent key may only place, cancel, amend, batch, cancel_all and set_cancel_deadline", refused.ToJsonString());
    }
}
