using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ExCraft.Integration.Tests;

/// <summary>
/// JSON-RPC over a node's WebSocket for the tests: send a request, read until a message matches,
/// subscribe, and read one subscription's notifications in order while others arrive in between.
/// </summary>
public sealed class WebSocketRpc
{
    /// <summary>Notifications of other subscriptions read while waiting for one, kept for their own next read.</summary>
    private readonly Dictionary<string, Queue<JsonNode>> _pending = [];

    public static Task Send(ClientWebSocket ws, JsonObject message, CancellationToken cancel) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancel);

    /// <summary>Reads messages until one matches; the caller's token bounds the wait.</summary>
    public static async Task<JsonNode> ReceiveUntil(ClientWebSocket ws, Func<JsonNode, bool> match, CancellationToken cancel)
    {
        var buffer = new byte[1 << 20];
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await ws.ReceiveAsync(buffer.AsMemory(count), cancel);
                count += result.Count;
            } while (!result.EndOfMessage);
            var message = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, count))!;
            if (match(message)) return message;
        }
    }

    /// <summary>Sends `ext_subscribe` with these parameters and returns the subscription id.</summary>
    public static async Task<string> SubscribeAsync(ClientWebSocket ws, int requestId, JsonArray parameters, CancellationToken cancel)
    {
        await Send(ws, new JsonObject { ["jsonrpc"] = "2.0", ["id"] = requestId, ["method"] = "ext_subscribe", ["params"] = parameters }, cancel);
        var answer = await ReceiveUntil(ws, m => m["id"]?.GetValue<int>() == requestId, cancel);
        return answer["result"]!.GetValue<string>();
    }

    /// <summary>The next notification of the subscription, in order (each is read by one call).</summary>
    public async Task<JsonNode> NotificationAsync(ClientWebSocket ws, string subscription, CancellationToken cancel)
    {
        if (_pending.TryGetValue(subscription, out var queue) && queue.Count > 0) return queue.Dequeue();
        var message = await ReceiveUntil(ws, m =>
        {
            if (m["params"]?["subscription"]?.GetValue<string>() is not { } s) return false;
            if (s == subscription) return true;
            if (!_pending.TryGetValue(s, out var other)) _pending[s] = other = new Queue<JsonNode>();
            other.Enqueue(m["params"]!["result"]!);
            return false;
        }, cancel);
        return message["params"]!["result"]!;
    }
}
