using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc.Subscriptions;

/// <summary>
/// One WebSocket client: requests in, responses and notifications out through a bounded queue.
/// A client that does not read fast enough is dropped rather than allowed to grow memory or slow
/// the node: its queue stops taking notifications, and once what was queued is sent it gets one
/// last notification {"type": "resync", ...} and the connection is closed (status 1008); a client
/// that does not read even that is cut after <see cref="DrainTimeout"/>.
/// </summary>
public sealed class WebSocketSession(WebSocket socket, RpcLimits limits)
{
    /// <summary>How long a dropped client has to read what was queued and the resync notice.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    private readonly Channel<Outgoing> _outbox = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(limits.MaxQueuedNotifications) { FullMode = BoundedChannelFullMode.Wait });
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly List<Action> _afterResponse = [];
    private readonly object _lock = new();
    private readonly CancellationTokenSource _closed = new();
    private string? _resyncNotice;

    public IReadOnlyList<Subscription> Subscriptions { get { lock (_lock) return [.. _subscriptions.Values]; } }

    /// <summary>Called once when the client is dropped for falling behind (the hub counts these).</summary>
    public Action? OnDropped { get; set; }

    /// <summary>True once the client fell behind and is being dropped.</summary>
    public bool Dropped { get { lock (_lock) return _resyncNotice is not null; } }

    public string AddSubscription(string kind, Core.Address? account, string id, byte[]? offerId = null) => AddSubscription(new Subscription(id, kind, account, offerId));

    public string AddSubscription(Subscription subscription)
    {
        lock (_lock)
        {
            if (_subscriptions.Count >= limits.MaxSubscriptionsPerConnection)
                throw new RpcException(RpcErrorCodes.LimitExceeded, $"a connection may hold at most {limits.MaxSubscriptionsPerConnection} subscriptions");
            _subscriptions[subscription.Id] = subscription;
            return subscription.Id;
        }
    }

    public bool Has(string id)
    {
        lock (_lock) return _subscriptions.ContainsKey(id);
    }

    /// <summary>Runs <paramref name="action"/> once the response to the current request is queued (a stream's first message follows its subscribe response).</summary>
    public void AfterResponse(Action action)
    {
        lock (_lock) _afterResponse.Add(action);
    }

    public JsonNode Unsubscribe(string id)
    {
        lock (_lock) return _subscriptions.Remove(id);
    }

    /// <summary>
    /// A queued message: a response (<see cref="SubscriptionId"/> null) or a notification's result,
    /// as what writes it. It is written by the send loop, off the thread that queued it (block
    /// commit, for notifications).
    /// </summary>
    private readonly record struct Outgoing(Action<Utf8JsonWriter> Write, string? SubscriptionId);

    /// <summary>
    /// Queues a notification; a full queue means a stalled client, which is dropped with a resync
    /// notice. The session owns <paramref name="result"/> from here on: the caller must not change it.
    /// </summary>
    public void Notify(string subscriptionId, JsonNode result) => Notify(subscriptionId, w => result.WriteTo(w));

    /// <summary>
    /// Queues a notification whose result <paramref name="writeResult"/> writes when the message is
    /// sent (a block's trades: no document of every trade built on the commit thread). It must
    /// only read what does not change (immutable records).
    /// </summary>
    public void Notify(string subscriptionId, Action<Utf8JsonWriter> writeResult)
    {
        if (_outbox.Writer.TryWrite(new Outgoing(writeResult, subscriptionId))) return;
        lock (_lock)
        {
            if (_resyncNotice is not null) return;
            _resyncNotice = Message(subscriptionId, new JsonObject
            {
                ["type"] = "resync",
                ["reason"] = $"the client fell more than {limits.MaxQueuedNotifications} notifications behind; the connection is closed: reconnect, subscribe again and start from a new snapshot",
            });
            _subscriptions.Clear();
        }
        _outbox.Writer.TryComplete();
        _closed.CancelAfter(DrainTimeout);
        OnDropped?.Invoke();
    }

    private static string Message(string subscriptionId, JsonNode result)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer)) WriteNotification(writer, subscriptionId, w => result.WriteTo(w));
        return Encoding.UTF8.GetString(buffer.WrittenMemory.Span);
    }

    /// <summary>{"jsonrpc":"2.0","method":"ext_subscription","params":{"subscription":id,"result":result}}</summary>
    private static void WriteNotification(Utf8JsonWriter writer, string subscriptionId, Action<Utf8JsonWriter> writeResult)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WriteString("method", "ext_subscription");
        writer.WriteStartObject("params");
        writer.WriteString("subscription", subscriptionId);
        writer.WritePropertyName("result");
        writeResult(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public async Task RunAsync(JsonRpcDispatcher dispatcher, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _closed.Token);
        var sender = SendLoopAsync(linked.Token);
        try
        {
            await ReceiveLoopAsync(dispatcher, linked.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ChannelClosedException)
        {
        }
        finally
        {
            _outbox.Writer.TryComplete();
            if (!Dropped) await _closed.CancelAsync();
            try { await sender; } catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                var (status, text) = Dropped ? (WebSocketCloseStatus.PolicyViolation, "fell behind: resync") : (WebSocketCloseStatus.NormalClosure, "closing");
                try { await socket.CloseAsync(status, text, timeout.Token); } catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
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
            if (response is not null) await _outbox.Writer.WriteAsync(new Outgoing(w => response.WriteTo(w), null), cancel);
            RunAfterResponse();
        }
    }

    private void RunAfterResponse()
    {
        Action[] actions;
        lock (_lock)
        {
            if (_afterResponse.Count == 0) return;
            actions = [.. _afterResponse];
            _afterResponse.Clear();
        }
        foreach (var action in actions) action();
    }

    /// <summary>
    /// Sends one message as frames of at most <see cref="FrameSize"/> bytes (clients reassemble
    /// them, as for any message larger than their receive buffer). The socket copies each frame
    /// into a buffer of its size from the shared pool; a block's trades message in one frame made
    /// that a new large array on most order blocks (docs/BENCHMARKS.md e2e-orders round 6).
    /// </summary>
    private async Task SendInFramesAsync(ReadOnlyMemory<byte> message, CancellationToken cancel)
    {
        do
        {
            var frame = message[..Math.Min(FrameSize, message.Length)];
            message = message[frame.Length..];
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: message.IsEmpty, cancel);
        } while (!message.IsEmpty);
    }

    /// <summary>Below the runtime's large-object threshold with the frame header added, so the socket's send buffer is an ordinary pooled array.</summary>
    public const int FrameSize = 32 * 1024;

    private async Task SendLoopAsync(CancellationToken cancel)
    {
        using var buffer = new PooledBufferWriter();
        await foreach (var message in _outbox.Reader.ReadAllAsync(cancel))
        {
            buffer.Reset();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                if (message.SubscriptionId is null) message.Write(writer);
                else WriteNotification(writer, message.SubscriptionId, message.Write);
            }
            await SendInFramesAsync(buffer.WrittenMemory, cancel);
        }
        // The queue is complete: either the connection is closing, or the client fell behind and
        // gets its resync notice now that everything queued before it is sent.
        string? notice;
        lock (_lock) notice = _resyncNotice;
        if (notice is null) return;
        await socket.SendAsync(Encoding.UTF8.GetBytes(notice), WebSocketMessageType.Text, endOfMessage: true, cancel);
        // The client's close reply ends the receive loop (or the drain timeout does).
        await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "fell behind: resync", cancel);
    }
}
