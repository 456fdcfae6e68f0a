using ExCraft.Chain.Execution;
using ExCraft.Chain.Mempool;
using Grpc.Core;

namespace ExCraft.Grpc;

/// <summary>
/// gRPC status codes for the node's errors. Messages are the JSON-RPC ones word for word, cut as
/// JSON-RPC cuts them (RpcText: echoes of input 64 characters, messages 512), which also keeps
/// them well inside HTTP/2's header limits (the message travels in a trailer). A refused
/// transaction also carries JSON-RPC's code and reason name in the trailers, so a client can tell
/// "nonce too low" from "nonce gap" without parsing text.
/// </summary>
public static class GrpcStatus
{
    public const string ReasonTrailer = "excraft-reason";
    public const string JsonRpcCodeTrailer = "excraft-jsonrpc-code";

    public static RpcException Error(StatusCode code, string message) => new(new Status(code, Rpc.JsonRpc.RpcText.Message(message)));

    public static RpcException InvalidArgument(string message) => Error(StatusCode.InvalidArgument, message);

    public static RpcException NotFound(string message) => Error(StatusCode.NotFound, message);

    public static StatusCode CodeOf(RejectReason reason) => reason switch
    {
        // The bytes themselves are wrong: resending them can never work.
        RejectReason.Malformed or RejectReason.WrongChain or RejectReason.BadSignature or RejectReason.TooLarge => StatusCode.InvalidArgument,
        RejectReason.FeeTooLow => StatusCode.InvalidArgument,
        RejectReason.Duplicate => StatusCode.AlreadyExists,
        RejectReason.MempoolFull => StatusCode.ResourceExhausted,
        // Depends on the chain's state (nonce, balance, assets): may work later or after another transaction.
        RejectReason.NonceTooLow or RejectReason.NonceTooHigh or RejectReason.InsufficientFunds or RejectReason.UnknownAsset => StatusCode.FailedPrecondition,
        _ => StatusCode.Unknown,
    };

    public static RpcException Rejected(SubmitResult result)
    {
        var reason = result.Reason ?? throw new ArgumentException("the transaction was accepted", nameof(result));
        var trailers = new Metadata
        {
            { ReasonTrailer, Rpc.ExtMethodsResults.ReasonName(reason) },
            { JsonRpcCodeTrailer, Rpc.ExtMethodsResults.CodeOf(reason).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        return new RpcException(new Status(CodeOf(reason), Rpc.JsonRpc.RpcText.Message(result.Error)), trailers);
    }
}
