using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace ExCraft.Grpc;

/// <summary>
/// Turns exceptions that escape a service into gRPC statuses the way the JSON-RPC dispatcher
/// turns them into errors: bad input (format, argument, overflow) is INVALID_ARGUMENT with its
/// message; anything else is a bug, logged, and answered INTERNAL "internal error".
/// </summary>
public sealed class GrpcErrorInterceptor(ILogger<GrpcErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException && !(e is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            throw Translate(e, context);
        }
    }

    private RpcException Translate(Exception e, ServerCallContext context)
    {
        if (ExCraft.Rpc.JsonRpc.JsonRpcDispatcher.IsBadInput(e)) return GrpcStatus.InvalidArgument(e.Message);
        logger.LogError(e, "internal error in gRPC call {Method}", context.Method);
        return GrpcStatus.Error(StatusCode.Internal, "internal error");
    }
}
