using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Core.Blocks;

/// <summary>A block: rlp([header, [tx...], last_commit]). Its hash is its header's hash.</summary>
public sealed record Block(BlockHeader Header, IReadOnlyList<Transaction> Transactions, Commit LastCommit)
{
    public byte[] Hash => Header.Hash;

    public ulong Height => Header.Height;

    public byte[] Encode()
    {
        var (header, commit, transactionsPayload, payload) = Layout();
        var output = new byte[Rlp.ListHeaderLength(payload) + payload];
        Write(output, header, commit, transactionsPayload, payload);
        return output;
    }

    /// <summary>The length of <see cref="Encode"/>'s bytes.</summary>
    public int EncodedLength
    {
        get
        {
            var (_, _, _, payload) = Layout();
            return Rlp.ListHeaderLength(payload) + payload;
        }
    }

    /// <summary>
    /// Writes <see cref="Encode"/>'s bytes into <paramref name="output"/> (at least <see cref="EncodedLength"/> long):
    /// an order block is megabytes, and writing it where it goes (a pooled buffer) saves making and copying two large arrays.
    /// </summary>
    public int WriteTo(Span<byte> output)
    {
        var (header, commit, transactionsPayload, payload) = Layout();
        return Write(output, header, commit, transactionsPayload, payload);
    }

    private (byte[] Header, byte[] Commit, int TransactionsPayload, int Payload) Layout()
    {
        var header = Header.Encode();
        var commit = LastCommit.Encode();
        var transactionsPayload = 0;
        foreach (var t in Transactions) transactionsPayload += Rlp.BytesLength(t.Encoded);
        return (header, commit, transactionsPayload, header.Length + Rlp.ListHeaderLength(transactionsPayload) + transactionsPayload + commit.Length);
    }

    private int Write(Span<byte> output, byte[] header, byte[] commit, int transactionsPayload, int payload)
    {
        var offset = Rlp.WriteListHeader(output, payload);
        header.CopyTo(output[offset..]);
        offset += header.Length;
        offset += Rlp.WriteListHeader(output[offset..], transactionsPayload);
        foreach (var t in Transactions) offset += Rlp.WriteBytes(output[offset..], t.Encoded);
        commit.CopyTo(output[offset..]);
        return offset + commit.Length;
    }

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
