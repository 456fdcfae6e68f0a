using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ExCraft.Integration.Tests;

/// <summary>
/// A WebSocket JSON-RPC client for stream tests: a background loop reads every message in order
/// into a list, so a test can wait (bounded) for the message it asserts and see what came before.
/// </summary>
public sealed class StreamClient : IAsyncDisposable
{
    private readonly ClientWebSocket _ws = new();
    private readonly List<JsonNode> _messages = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;
    private int _nextId;

    public static async Task<StreamClient> ConnectAsync(int port)
    {
        var client = new StreamClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client._ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), timeout.Token);
        client._reader = client.ReadLoopAsync();
        return client;
    }

    public IReadOnlyList<JsonNode> Messages { get { lock (_messages) return [.. _messages]; } }

    /// <summary>Sends a call and waits for its response; returns the result (throws on an error response).</summary>
    public async Task<JsonNode> CallAsync(string method, params object?[] parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(parameters)) };
        await _ws.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        var response = await WaitForAsync(m => m["id"]?.GetValue<int>() == id, TimeSpan.FromSeconds(10), $"response to {method}");
        return response["result"] ?? throw new InvalidOperationException($"{method}: {response.ToJsonString()}");
    }

    /// <summary>The notifications of one subscription so far, in arrival order.</summary>
    public IReadOnlyList<JsonNode> Of(string subscription) =>
        [.. Messages.Where(m => m["params"]?["subscription"]?.GetValue<string>() == subscription).Select(m => m["params"]!["result"]!)];

    public async Task<JsonNode> WaitForAsync(Func<JsonNode, bool> match, TimeSpan timeout, string what)
    {
        JsonNode? found = null;
        await Until.TrueAsync(() => Task.FromResult((found = Messages.FirstOrDefault(match)) is not null), timeout, what);
        return found!;
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 20];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _ws.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) return;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var node = JsonNode.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length))!;
                message.SetLength(0);
                lock (_messages) _messages.Add(node);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_reader is not null) await _reader;
        _ws.Dispose();
        _stop.Dispose();
    }
}
