using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc.Subscriptions;

/// <summary>
/// One WebSocket client: requests in, responses and notifications out through a bounded queue.
/// A client that does not read fast enough is disconnected rather than allowed to grow memory.
/// </summary>
public sealed class WebSocketSession(WebSocket socket, RpcLimits limits)
{
    private readonly Channel<string> _outbox = Channel.CreateBounded<string>(new BoundedChannelOptions(limits.MaxQueuedNotifications) { FullMode = BoundedChannelFullMode.Wait });
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly object _lock = new();
    private readonly CancellationTokenSource _closed = new();

    public IReadOnlyList<Subscription> Subscriptions { get { lock (_lock) return [.. _subscriptions.Values]; } }

    public string AddSubscription(string kind, Core.Address? account, string id, byte[]? offerId = null)
    {
        lock (_lock)
        {
            if (_subscriptions.Count >= limits.MaxSubscriptionsPerConnection)
                throw new RpcException(RpcErrorCodes.LimitExceeded, $"a connection may hold at most {limits.MaxSubscriptionsPerConnection} subscriptions");
            _subscriptions[id] = new Subscription(id, kind, account, offerId);
            return id;
        }
    }

    public JsonNode Unsubscribe(string id)
    {
        lock (_lock) return _subscriptions.Remove(id);
    }

    /// <summary>Queues a notification; a full queue means a stalled client, which is dropped.</summary>
    public void Notify(string subscriptionId, JsonNode result)
    {
        var message = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = "ext_subscription",
            ["params"] = new JsonObject { ["subscription"] = subscriptionId, ["result"] = result },
        }.ToJsonString();
        if (!_outbox.Writer.TryWrite(message)) _closed.Cancel();
    }

    public async Task RunAsync(JsonRpcDispatcher dispatcher, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _closed.Token);
        var sender = SendLoopAsync(linked.Token);
        try
        {
            await ReceiveLoopAsync(dispatcher, linked.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            _outbox.Writer.TryComplete();
            await _closed.CancelAsync();
            try { await sender; } catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try { await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "closing", timeout.Token); } catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
            }
        }
    }

    /// <summary>A message buffer larger than this is dropped after its message, not kept for the next.</summary>
    private const int KeptMessageBuffer = 64 * 1024;

    private async Task ReceiveLoopAsync(JsonRpcDispatcher dispatcher, CancellationToken cancel)
    {
        var buffer = new byte[16 * 1024];
        var message = new MemoryStream();
        while (!cancel.IsCancellationRequested && socket.State == WebSocketState.Open)
        {
            var received = await socket.ReceiveAsync(buffer, cancel);
            if (received.MessageType == WebSocketMessageType.Close) return;
            message.Write(buffer, 0, received.Count);
            if (message.Length > limits.MaxRequestBytes)
            {
                await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"message exceeds {limits.MaxRequestBytes} bytes", cancel);
                return;
            }
            if (!received.EndOfMessage) continue;
            var response = dispatcher.Handle(message.GetBuffer().AsMemory(0, (int)message.Length), new RpcCallContext(this));
            // One large message must not pin a large buffer for the rest of the connection.
            if (message.Capacity > KeptMessageBuffer) message = new MemoryStream();
            else message.SetLength(0);
            if (response is not null) await _outbox.Writer.WriteAsync(response.ToJsonString(), cancel);
        }
    }

    private async Task SendLoopAsync(CancellationToken cancel)
    {
        await foreach (var text in _outbox.Reader.ReadAllAsync(cancel))
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancel);
        }
    }
}
