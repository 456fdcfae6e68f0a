using ExCraft.Chain;
using ExCraft.Chain.Execution;
using ExCraft.Core.Blocks;

namespace ExCraft.Rpc.Subscriptions;

/// <summary>
/// A committed block's events in the order they happened: the block's own events first (begin-block
/// work such as expiries, with no transaction), then each transaction's, with its hash.
/// </summary>
public static class BlockEventOrder
{
    public static List<(ChainEvent Event, byte[]? Tx)> Of(Blockchain chain, Block block, IReadOnlyList<Receipt> receipts, IReadOnlySet<string> types) =>
        chain.GetBlockEvents(block.Height).Select(e => (Event: e, Tx: (byte[]?)null))
            .Concat(receipts.SelectMany(r => r.Events.Select(e => (Event: e, Tx: (byte[]?)r.TransactionHash))))
            .Where(c => types.Contains(c.Event.Type)).ToList();
}
