using System.Collections.Concurrent;
using ExCraft.Chain.Mempool;
using ExCraft.Network;
using Microsoft.Extensions.Hosting;

namespace ExCraft.Node.Consensus;

/// <summary>
/// Spreads transactions: what enters the mempool is sent to peers in batches every few
/// milliseconds; batches from peers go through the same ingress as RPC (parallel signature
/// checks, mempool rules). Duplicates are refused by the mempool, which ends the flood.
/// </summary>
public sealed class TransactionGossip(TransactionPool mempool, TransactionIngress ingress, INetwork network) : BackgroundService
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(20);
    private readonly ConcurrentQueue<byte[]> _outgoing = new();

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        mempool.Added += entry => _outgoing.Enqueue(entry.Transaction.Encoded);
        network.OnMessage(MessageTypes.Transactions, (peer, payload, _) =>
        {
            try
            {
                var raws = ChainMessages.DecodeTransactions(payload);
                var results = ingress.SubmitBatch(raws);
                var bad = results.Count(r => r.Reason is Chain.Execution.RejectReason.Malformed or Chain.Execution.RejectReason.BadSignature or Chain.Execution.RejectReason.WrongChain);
                if (bad > 0) network.Penalize(peer.NodeId, $"{bad} invalid transactions", bad);
            }
            catch (FormatException e)
            {
                network.Penalize(peer.NodeId, $"malformed transactions message: {e.Message}", 20);
            }
            return ValueTask.CompletedTask;
        });
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                var batch = new List<byte[]>();
                while (batch.Count < ChainMessages.MaxTransactionsPerMessage && _outgoing.TryDequeue(out var raw)) batch.Add(raw);
                if (batch.Count > 0) network.Broadcast(MessageTypes.Transactions, ChainMessages.Transactions(batch));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
