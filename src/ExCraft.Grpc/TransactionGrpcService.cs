using ExCraft.Chain.Mempool;
using Grpc.Core;
using V1 = ExCraft.Grpc.V1;

namespace ExCraft.Grpc;

/// <summary>
/// excraft.v1.TransactionService: a signed transaction goes through the same ingress as
/// ext_sendRawTransaction (decode, signature recovery, mempool admission), so the outcome and
/// the message are the same; only the code is gRPC's (GrpcStatus).
/// </summary>
public sealed class TransactionGrpcService(TransactionIngress ingress) : V1.TransactionService.TransactionServiceBase
{
    public override Task<V1.SendRawTransactionResponse> SendRawTransaction(V1.SendRawTransactionRequest request, ServerCallContext context)
    {
        var result = ingress.Submit(request.Raw.ToByteArray());
        if (!result.Accepted) throw GrpcStatus.Rejected(result);
        return Task.FromResult(new V1.SendRawTransactionResponse { Hash = ChainMessages.Bytes(result.Hash!) });
    }
}
