using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using static ExCraft.Integration.Tests.WebSocketRpc;

namespace ExCraft.Integration.Tests;

public sealed class WebSocketSubscriptionTests : NodeTest
{

    [Fact]
    public async Task New_heads_and_account_events_arrive_over_websocket()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{Node.Port}/ws"), timeout.Token);
        var bob = Wallet.Dev(1).Address;

        await Send(ws, new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "ext_subscribe", ["params"] = new JsonArray("newHeads") }, timeout.Token);
        var headsId = (await ReceiveUntil(ws, m => m["id"]?.GetValue<int>() == 1, timeout.Token))["result"]!.GetValue<string>();
        await Send(ws, new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 2, ["method"] = "ext_subscribe", ["params"] = new JsonArray("accountEvents", bob.ToString()) }, timeout.Token);
        var eventsId = (await ReceiveUntil(ws, m => m["id"]?.GetValue<int>() == 2, timeout.Token))["result"]!.GetValue<string>();
        Assert.NotEqual(headsId, eventsId);

        var head = await ReceiveUntil(ws, m => m["params"]?["subscription"]?.GetValue<string>() == headsId, timeout.Token);
        Assert.True(head["params"]!["result"]!["height"]!.GetValue<ulong>() >= 1);

        var hash = (await Node.Rpc.CallAsync("ext_sendRawTransaction", Wallet.Transfer(0, bob, 42, 0)))!.GetValue<string>();
        var evt = await ReceiveUntil(ws, m => m["params"]?["subscription"]?.GetValue<string>() == eventsId, timeout.Token);
        var receipt = evt["params"]!["result"]!;
        Assert.Equal(hash, receipt["transactionHash"]!.GetValue<string>());
        Assert.Equal("42", receipt["events"]![0]!["attributes"]!["amount"]!.GetValue<string>());

        await Send(ws, new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 3, ["method"] = "ext_unsubscribe", ["params"] = new JsonArray(headsId) }, timeout.Token);
        Assert.True((await ReceiveUntil(ws, m => m["id"]?.GetValue<int>() == 3, timeout.Token))["result"]!.GetValue<bool>());

        await Send(ws, new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 4, ["method"] = "ext_subscribe", ["params"] = new JsonArray("noSuchFeed") }, timeout.Token);
        var error = await ReceiveUntil(ws, m => m["id"]?.GetValue<int>() == 4, timeout.Token);
        Assert.Equal(-32602, error["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Subscription_count_per_connection_is_bounded()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{Node.Port}/ws"), timeout.Token);
        JsonNode? last = null;
        for (var i = 1; i <= 65; i++)
        {
            await Send(ws, new JsonObject { ["jsonrpc"] = "2.0", ["id"] = i, ["method"] = "ext_subscribe", ["params"] = new JsonArray("newHeads") }, timeout.Token);
            var id = i;
            last = await ReceiveUntil(ws, m => m["id"]?.GetValue<int>() == id, timeout.Token);
        }
        Assert.Equal(-32005, last!["error"]!["code"]!.GetValue<int>());
    }
}
