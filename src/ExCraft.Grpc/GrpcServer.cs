using ExCraft.Rpc.Methods;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ExCraft.Grpc;

/// <summary>
/// Registers and maps the gRPC services. The node listens for them on a port of their own
/// (HTTP/2 without TLS); calls are answered only there, and that port answers nothing else.
/// </summary>
public static class GrpcServer
{
    public static IServiceCollection AddExCraftGrpc(this IServiceCollection services, NodeInfo node, GrpcLimits limits)
    {
        services.AddSingleton(node);
        services.AddSingleton(limits);
        services.AddSingleton<CommittedBlockFeed>();
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = limits.MaxReceiveMessageBytes;
            o.MaxSendMessageSize = limits.MaxSendMessageBytes;
            o.EnableDetailedErrors = false;
            o.Interceptors.Add<GrpcErrorInterceptor>();
        });
        services.AddGrpcReflection();
        return services;
    }

    public static void MapExCraftGrpc(this WebApplication app, int grpcPort)
    {
        // Each port answers only its own API: no JSON-RPC or metrics over the gRPC port, no gRPC over the RPC port.
        app.Use(async (http, next) =>
        {
            var isGrpcCall = http.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null;
            if (isGrpcCall != (http.Connection.LocalPort == grpcPort))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(http);
        });
        app.MapGrpcService<ChainGrpcService>();
        app.MapGrpcService<TransactionGrpcService>();
        app.MapGrpcService<AccountsGrpcService>();
        app.MapGrpcService<StakingGrpcService>();
        app.MapGrpcService<MarketsGrpcService>();
        app.MapGrpcService<SwapsGrpcService>();
        app.MapGrpcReflectionService();
    }
}
