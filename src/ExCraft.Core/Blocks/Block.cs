using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Core.Blocks;

/// <summary>A block: rlp([header, [tx...], last_commit]). Its hash is its header's hash.</summary>
public sealed record Block(BlockHeader Header, IReadOnlyList<Transaction> Transactions, Commit LastCommit)
{
    public byte[] Hash => Header.Hash;

    public ulong Height => Header.Height;

    public byte[] Encode() => Rlp.EncodeList(
        Header.Encode(),
        Rlp.EncodeList(Transactions.Select(t => Rlp.EncodeBytes(t.Encoded))),
        LastCommit.Encode());

    /// <summary>Transactions are carried as byte strings holding their own wire form.</summary>
    public static Block Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(3, "block");
        var header = BlockHeader.Decode(f[0]);
        var transactions = f[1].Items.Select(t => Transaction.Decode(t.Bytes)).ToList();
        return new Block(header, transactions, Commit.Decode(f[2]));
    }

    public static byte[] ComputeTransactionsRoot(IReadOnlyList<Transaction> transactions) =>
        MerkleRoot.Compute(transactions.Select(t => t.Hash).ToList());
}
