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
        var body = await ReadBodyAsync(http.Request, limits.MaxRequestBytes, http.RequestAborted);
        JsonNode? response;
        if (body is null)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            response = JsonRpcDispatcher.Error(null, RpcErrorCodes.LimitExceeded, $"request body exceeds {limits.MaxRequestBytes} bytes");
        }
        else
        {
            response = dispatcher.Handle(body.AsSpan(), new RpcCallContext(null));
        }
        if (response is null)
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(response.ToJsonString(), http.RequestAborted);
    }

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

    /// <summary>Reads the whole body, or returns null as soon as it passes the limit.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancel)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
