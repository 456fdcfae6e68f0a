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
                response = dispatcher.Handle(read, new RpcCallContext(null));
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
    /// Reads the whole body, or returns null as soon as it passes the limit. The buffer grows with
    /// what arrives, not with what a header claims (a client declaring 8 MiB and sending nothing
    /// costs nothing), and is handed on without a copy.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancel)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? 0, InitialBodyBuffer));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private const int InitialBodyBuffer = 64 * 1024;
}
