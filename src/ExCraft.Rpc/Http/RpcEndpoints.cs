using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Rpc.JsonRpc;
using ExCraft.Rpc.Subscriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ExCraft.Rpc.Http;

/// <summary>
/// HTTP surface: POST / for JSON-RPC (single or batch), GET /ws for JSON-RPC over WebSocket with
/// subscriptions, GET /health for liveness. Bodies over the size limit are refused unread.
/// </summary>
public static class RpcEndpoints
{
    public static void MapExCraftRpc(this IEndpointRouteBuilder app)
    {
        app.MapPost("/", HandlePostAsync);
        app.MapGet("/ws", HandleWebSocketAsync);
        app.MapGet("/health", (Blockchain chain) => Results.Json(new { status = "ok", height = chain.Head.Height, chainId = chain.ChainId }));
    }

    private static async Task HandlePostAsync(HttpContext http, JsonRpcDispatcher dispatcher, RpcLimits limits)
    {
        JsonNode? response;
        try
        {
            var body = await ReadBodyAsync(http.Request, limits.MaxRequestBytes, http.RequestAborted);
            if (body is { } read)
            {
                // The dispatcher's parsed document is disposed before Handle returns, so the pooled buffer is free after it.
                try
                {
                    response = dispatcher.Handle(read.Buffer.AsMemory(0, read.Length), new RpcCallContext(null));
                }
                finally
                {
                    BodyPool.Return(read.Buffer);
                }
            }
            else
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                response = TooLarge(limits);
            }
        }
        catch (BadHttpRequestException e)
        {
            // The server refused the body while it was read: a chunked body over the size limit,
            // a bad chunk size, a body cut short. Answer as for a Content-Length body, not with an
            // empty response and a logged exception.
            http.Response.StatusCode = e.StatusCode;
            response = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(limits)
                : JsonRpcDispatcher.Error(null, RpcErrorCodes.ParseError, $"parse error: the request body could not be read ({e.Message.TrimEnd('.')})");
        }
        catch (Exception e) when (http.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            return; // the client went away; nobody to answer
        }
        if (response is null)
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(response);
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    private static JsonObject TooLarge(RpcLimits limits) =>
        JsonRpcDispatcher.Error(null, RpcErrorCodes.LimitExceeded, $"request body exceeds {limits.MaxRequestBytes} bytes");

    private static async Task HandleWebSocketAsync(HttpContext http, JsonRpcDispatcher dispatcher, SubscriptionHub hub, RpcLimits limits)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync("expected a WebSocket upgrade request");
            return;
        }
        if (hub.SessionCount >= limits.MaxWebSocketConnections)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await http.Response.WriteAsync($"too many WebSocket connections (limit {limits.MaxWebSocketConnections})");
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var session = new WebSocketSession(socket, limits);
        hub.Attach(session);
        try
        {
            var lifetime = http.RequestServices.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
            await session.RunAsync(dispatcher, stop.Token);
        }
        finally
        {
            hub.Detach(session);
        }
    }

    /// <summary>
    /// Reads the whole body into a pooled buffer (the caller returns it), or returns null as soon as
    /// it passes the limit. The buffer grows with what arrives, not with what a header claims (a
    /// client declaring 8 MiB and sending nothing costs nothing), and is handed on without a copy.
    /// Pooled because a batch of transactions is a few hundred kilobytes: a new array per request
    /// (grown by doubling) was large-object garbage that forced full collections under load
    /// (docs/BENCHMARKS.md e2e-orders, round 5).
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancel)
    {
        if (request.ContentLength > limit) return null;
        var buffer = BodyPool.Rent((int)Math.Max(1, Math.Min(Math.Min(request.ContentLength ?? InitialBodyBuffer, InitialBodyBuffer), limit)));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    // Room for one byte over the limit, so a body that exceeds it is seen as such.
                    var larger = BodyPool.Rent((int)Math.Min(2L * buffer.Length, (long)limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    BodyPool.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancel);
                if (read == 0) break;
                length += read;
                if (length > limit)
                {
                    BodyPool.Return(buffer);
                    return null;
                }
            }
            return (buffer, length);
        }
        catch
        {
            BodyPool.Return(buffer);
            throw;
        }
    }

    private const int InitialBodyBuffer = 64 * 1024;

    /// <summary>
    /// Its own bounded pool (arrays up to 1 MiB, a few per size): the shared pool keeps arrays per
    /// thread and per core, so hostile clients sending many large bodies would make it hold hundreds
    /// of megabytes. A body above 1 MiB gets a fresh array, as before.
    /// </summary>
    private static readonly ArrayPool<byte> BodyPool = ArrayPool<byte>.Create(maxArrayLength: 1 << 20, maxArraysPerBucket: 16);
}
