namespace ExCraft.Grpc;

/// <summary>
/// Bounds on what one gRPC client can ask of the node (docs/grpc.md). Messages over a size limit
/// are refused by the gRPC layer itself with RESOURCE_EXHAUSTED.
/// </summary>
public sealed record GrpcLimits(
    // A signed transaction is at most max_transaction_bytes (16 KiB in the shipped geneses); the
    // margin lets an oversized one reach the mempool's own "too large" answer, as in JSON-RPC.
    int MaxReceiveMessageBytes = 1024 * 1024,
    // A full block (max_block_bytes 4 MiB) with its decoded transactions and receipts.
    int MaxSendMessageBytes = 16 * 1024 * 1024,
    int MaxBlockStreams = 256,
    // Blocks a stream may fall behind before it is ended with RESOURCE_EXHAUSTED (the client then
    // resumes with from_height). Queued blocks are shared by all streams, so this also bounds the
    // memory slow streams can hold: 128 blocks, whatever the number of streams.
    int MaxQueuedBlocksPerStream = 128);
