using ExCraft.Core.Blocks;
using ExCraft.Core.Encoding;

namespace ExCraft.Node.Consensus;

/// <summary>
/// Payloads of the chain's own P2P messages: a node's status (height and head), a request for a
/// range of blocks, blocks with their commits, and batches of raw transactions.
/// </summary>
public static class ChainMessages
{
    public const int MaxBlocksPerResponse = 32;
    public const int MaxTransactionsPerMessage = 2_000;

    public static byte[] Status(ulong height, byte[] headHash) => Rlp.EncodeList(Rlp.EncodeUInt(height), Rlp.EncodeBytes(headHash));

    public static (ulong Height, byte[] HeadHash) DecodeStatus(byte[] payload)
    {
        var f = Rlp.Decode(payload).ListOf(2, "status");
        return (f[0].AsUInt64(), f[1].AsFixed(32, "head hash"));
    }

    public static byte[] BlockRequest(ulong from, int count) => Rlp.EncodeList(Rlp.EncodeUInt(from), Rlp.EncodeUInt((ulong)count));

    public static (ulong From, int Count) DecodeBlockRequest(byte[] payload)
    {
        var f = Rlp.Decode(payload).ListOf(2, "block request");
        return (f[0].AsUInt64(), Math.Min(f[1].AsInt32(), MaxBlocksPerResponse));
    }

    public static byte[] BlockResponse(IEnumerable<(Block Block, Commit Commit)> blocks) =>
        Rlp.EncodeList(blocks.Select(b => Rlp.EncodeList(Rlp.EncodeBytes(b.Block.Encode()), b.Commit.Encode())));

    public static List<(Block Block, Commit Commit)> DecodeBlockResponse(byte[] payload)
    {
        var items = Rlp.Decode(payload).Items;
        if (items.Count > MaxBlocksPerResponse) throw new RlpException($"block response holds {items.Count} blocks, more than {MaxBlocksPerResponse}");
        return items.Select(i =>
        {
            var f = i.ListOf(2, "block with commit");
            return (Block.Decode(f[0].Bytes), Commit.Decode(f[1]));
        }).ToList();
    }

    public static byte[] Transactions(IEnumerable<byte[]> raws) => Rlp.EncodeList(raws.Select(r => Rlp.EncodeBytes(r)));

    public static List<byte[]> DecodeTransactions(byte[] payload)
    {
        var items = Rlp.Decode(payload).Items;
        if (items.Count > MaxTransactionsPerMessage) throw new RlpException($"{items.Count} transactions in one message, more than {MaxTransactionsPerMessage}");
        return items.Select(i => i.Bytes).ToList();
    }
}
