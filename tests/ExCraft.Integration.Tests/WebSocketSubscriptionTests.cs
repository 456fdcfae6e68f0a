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

    /// <summary>
    /// A message larger than one frame (WebSocketSession.FrameSize) is sent as several frames and
    /// arrives whole: here a batch of 2,000 requests (the limit) answered in one message of about 80 KB.
    /// </summary>
    [Fact]
    public async Task A_message_larger_than_a_frame_arrives_in_frames_and_whole()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{Node.Port}/ws"), timeout.Token);
        var batch = new JsonArray();
        for (var i = 0; i < 2_000; i++) batch.Add(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = i, ["method"] = "ext_chainId", ["params"] = new JsonArray() });
        await ws.SendAsync(Encoding.UTF8.GetBytes(batch.ToJsonString()), WebSocketMessageType.Text, true, timeout.Token);

        var buffer = new byte[1 << 20];
        var (count, largestRead) = (0, 0);
        ValueWebSocketReceiveResult result;
        do
        {
            // A read returns at most the rest of one frame, so no read can exceed a frame when the node frames its messages.
            result = await ws.ReceiveAsync(buffer.AsMemory(count), timeout.Token);
            count += result.Count;
            largestRead = Math.Max(largestRead, result.Count);
        } while (!result.EndOfMessage);

        var frameSize = ExCraft.Rpc.Subscriptions.WebSocketSession.FrameSize;
        Assert.True(count > 2 * frameSize, $"the answer should span several frames ({count} bytes)");
        Assert.True(largestRead <= frameSize, $"a read of {largestRead} bytes: larger than a frame");
        var answers = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, count))!.AsArray();
        Assert.Equal(Enumerable.Range(0, 2_000), answers.Select(a => a!["id"]!.GetValue<int>()).Order());
        Assert.All(answers, a => Assert.NotNull(a!["result"]));
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
