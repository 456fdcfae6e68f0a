using System.Text.Json.Nodes;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Mempool;
using ExCraft.Core.Encoding;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc;

/// <summary>Maps a submission's outcome to a result (the hash) or a JSON-RPC error with one code per reason.</summary>
public static class ExtMethodsResults
{
    public static JsonNode FromSubmit(SubmitResult result)
    {
        if (result.Reason is { } reason)
            throw new RpcException(CodeOf(reason), result.Error, new { reason = ReasonName(reason) });
        return JsonValue.Create(Hex.Encode(result.Hash!));
    }

    /// <summary>-32010 malformed, -32011 wrong chain, ... -32020 unknown asset (docs/rpc.md).</summary>
    public static int CodeOf(RejectReason reason) => RpcErrorCodes.TransactionRejected - (int)reason;

    public static string ReasonName(RejectReason reason) => reason switch
    {
        RejectReason.Malformed => "malformed",
        RejectReason.WrongChain => "wrong_chain",
        RejectReason.BadSignature => "bad_signature",
        RejectReason.NonceTooLow => "nonce_too_low",
        RejectReason.NonceTooHigh => "nonce_gap",
        RejectReason.FeeTooLow => "fee_too_low",
        RejectReason.InsufficientFunds => "insufficient_funds",
        RejectReason.Duplicate => "duplicate",
        RejectReason.MempoolFull => "mempool_full",
        RejectReason.TooLarge => "too_large",
        RejectReason.UnknownAsset => "unknown_asset",
        _ => reason.ToString(),
    };
}
