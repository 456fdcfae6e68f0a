using ExCraft.Chain;
using ExCraft.Chain.Mempool;
using ExCraft.Core.Blocks;
using ExCraft.Core.Encoding;
using ExCraft.Rpc.Methods;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using V1 = ExCraft.Grpc.V1;

namespace ExCraft.Grpc;

/// <summary>
/// excraft.v1.ChainService: blocks, transactions, receipts and node information read straight
/// from the chain (the methods JSON-RPC's ext_* calls use), and the stream of committed blocks.
/// </summary>
public sealed class ChainGrpcService(Blockchain chain, TransactionPool mempool, NodeInfo node, CommittedBlockFeed feed, GrpcLimits limits, IHostApplicationLifetime lifetime)
    : V1.ChainService.ChainServiceBase
{
    public override Task<V1.NodeInfo> GetNodeInfo(V1.GetNodeInfoRequest request, ServerCallContext context)
    {
        var head = chain.Head;
        var info = new V1.NodeInfo
        {
            Version = node.Version,
            Moniker = node.Moniker,
            ChainId = chain.ChainId,
            ChainName = chain.Genesis.ChainName,
            GenesisHash = ChainMessages.Bytes(chain.GenesisHash),
            Height = head.Height,
            HeadHash = ChainMessages.Bytes(head.BlockHash),
            AppHash = ChainMessages.Bytes(head.AppHash),
            Validator = node.Validator?.ToString() ?? "",
            Mode = node.Status.Mode,
            Peers = node.Status.Peers,
            Syncing = node.Status.Syncing,
            SyncTarget = node.Status.SyncTarget ?? head.Height,
            MempoolSize = mempool.Count,
            MempoolBytes = mempool.Bytes,
        };
        if (node.Status.ConsensusHeight is { } consensusHeight) info.ConsensusHeight = consensusHeight;
        if (node.Status.Round is { } round) info.Round = round;
        return Task.FromResult(info);
    }

    public override Task<V1.Block> GetBlockByHeight(V1.GetBlockByHeightRequest request, ServerCallContext context)
    {
        var headHeight = chain.Head.Height;
        var height = request.HasHeight ? request.Height : headHeight;
        if (height == 0 || height > headHeight) throw GrpcStatus.NotFound($"block {height} not found (head is {headHeight})");
        var block = chain.GetBlock(height) ?? throw GrpcStatus.NotFound($"block {height} is pruned on this node");
        return Task.FromResult(BlockMessage(block, request.FullTransactions));
    }

    public override Task<V1.Block> GetBlockByHash(V1.GetBlockByHashRequest request, ServerCallContext context)
    {
        var hash = GrpcArguments.Hash(request.Hash, "hash");
        var block = chain.GetBlockByHash(hash) ?? throw GrpcStatus.NotFound($"block {Hex.Encode(hash)} not found");
        return Task.FromResult(BlockMessage(block, request.FullTransactions));
    }

    public override Task<V1.Transaction> GetTransaction(V1.GetTransactionRequest request, ServerCallContext context)
    {
        var hash = GrpcArguments.Hash(request.Hash, "hash");
        if (mempool.Get(hash) is { } pending) return Task.FromResult(ChainMessages.Transaction(pending.Transaction, pending.Sender, null, null));
        var receipt = chain.GetReceipt(hash) ?? throw GrpcStatus.NotFound($"transaction {Hex.Encode(hash)} not found");
        var block = chain.GetBlock(receipt.Height) ?? throw GrpcStatus.NotFound($"block {receipt.Height} of transaction {Hex.Encode(hash)} is pruned on this node");
        return Task.FromResult(ChainMessages.Transaction(block.Transactions[receipt.Index], receipt.Sender, receipt.Height, receipt.Index));
    }

    public override Task<V1.Receipt> GetReceipt(V1.GetReceiptRequest request, ServerCallContext context)
    {
        var hash = GrpcArguments.Hash(request.Hash, "hash");
        var receipt = chain.GetReceipt(hash) ?? throw GrpcStatus.NotFound($"receipt of transaction {Hex.Encode(hash)} not found");
        return Task.FromResult(ChainMessages.Receipt(receipt));
    }

    public override Task<V1.BlockEvents> GetBlockEvents(V1.GetBlockEventsRequest request, ServerCallContext context)
    {
        var headHeight = chain.Head.Height;
        var height = request.HasHeight ? request.Height : headHeight;
        if (height > headHeight) throw GrpcStatus.NotFound($"block {height} not found (head is {headHeight})");
        var message = new V1.BlockEvents { Height = height };
        message.Events.AddRange(chain.GetBlockEvents(height).Select(ChainMessages.Event));
        return Task.FromResult(message);
    }

    public override async Task StreamBlocks(V1.StreamBlocksRequest request, IServerStreamWriter<V1.CommittedBlock> stream, ServerCallContext context)
    {
        if (request.HasFromHeight && request.FromHeight == 0) throw GrpcStatus.InvalidArgument("from_height: must be at least 1");
        // Subscribe before reading the head: a block committed meanwhile is then both replayed and
        // queued, and the height check below drops the repeat; none can fall between the two.
        using var subscription = feed.TrySubscribe()
            ?? throw GrpcStatus.Error(StatusCode.ResourceExhausted, $"too many block streams (limit {limits.MaxBlockStreams})");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        ulong next = 0;
        try
        {
            if (request.HasFromHeight)
            {
                var headHeight = chain.Head.Height;
                for (var height = request.FromHeight; height <= headHeight; height++)
                {
                    var block = chain.GetBlock(height) ?? throw GrpcStatus.NotFound($"block {height} is pruned on this node");
                    var receipts = block.Transactions.Select(tx => chain.GetReceipt(tx.Hash)!).ToList();
                    await stream.WriteAsync(CommittedMessage(block, receipts, chain.GetBlockEvents(height), request.FullTransactions), stop.Token);
                }
                next = Math.Max(request.FromHeight, headHeight + 1);
            }
            await foreach (var notice in subscription.Reader.ReadAllAsync(stop.Token))
            {
                if (notice.Block.Height < next) continue;
                await stream.WriteAsync(CommittedMessage(notice.Block, notice.Receipts, notice.BlockEvents.Value, request.FullTransactions), stop.Token);
                next = notice.Block.Height + 1;
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw GrpcStatus.Error(StatusCode.Unavailable, "the node is shutting down");
        }
        if (subscription.FellBehind)
            throw GrpcStatus.Error(StatusCode.ResourceExhausted, $"the stream fell more than {limits.MaxQueuedBlocksPerStream} blocks behind; reconnect with from_height {next}");
    }

    private V1.Block BlockMessage(Block block, bool fullTransactions) =>
        ChainMessages.Block(block, fullTransactions, i => chain.GetReceipt(block.Transactions[i].Hash)?.Sender);

    private static V1.CommittedBlock CommittedMessage(Block block, IReadOnlyList<Chain.Execution.Receipt> receipts, IReadOnlyList<Chain.Execution.ChainEvent> blockEvents, bool fullTransactions)
    {
        // Receipts come one per transaction, in block order.
        var message = new V1.CommittedBlock { Block = ChainMessages.Block(block, fullTransactions, i => receipts[i].Sender) };
        message.Receipts.AddRange(receipts.Select(ChainMessages.Receipt));
        message.BlockEvents.AddRange(blockEvents.Select(ChainMessages.Event));
        return message;
    }
}
