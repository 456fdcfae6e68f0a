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
        var plan = PlanEncoding();
        var output = new byte[plan.Length];
        plan.WriteTo(output);
        return output;
    }

    /// <summary>
    /// <see cref="Encode"/>'s bytes laid out once (the header and commit encoded, the lengths
    /// summed), to be written where they go: an order block is megabytes, and writing it into a
    /// pooled buffer saves making and copying two large arrays.
    /// </summary>
    public EncodingPlan PlanEncoding()
    {
        var transactionsPayload = 0;
        foreach (var t in Transactions) transactionsPayload += Rlp.BytesLength(t.Encoded);
        return new EncodingPlan(this, Header.Encode(), LastCommit.Encode(), transactionsPayload);
    }

    /// <summary>A block's encoding, laid out: its <see cref="Length"/>, and <see cref="WriteTo"/> to write it.</summary>
    public readonly struct EncodingPlan
    {
        private readonly Block _block;
        private readonly byte[] _header;
        private readonly byte[] _commit;
        private readonly int _transactionsPayload;
        private readonly int _payload;

        internal EncodingPlan(Block block, byte[] header, byte[] commit, int transactionsPayload)
        {
            _block = block;
            _header = header;
            _commit = commit;
            _transactionsPayload = transactionsPayload;
            _payload = header.Length + Rlp.ListHeaderLength(transactionsPayload) + transactionsPayload + commit.Length;
        }

        public int Length => Rlp.ListHeaderLength(_payload) + _payload;

        /// <summary>Writes the bytes into <paramref name="output"/> (at least <see cref="Length"/> long); returns their length.</summary>
        public int WriteTo(Span<byte> output)
        {
            var offset = Rlp.WriteListHeader(output, _payload);
            _header.CopyTo(output[offset..]);
            offset += _header.Length;
            offset += Rlp.WriteListHeader(output[offset..], _transactionsPayload);
            foreach (var t in _block.Transactions) offset += Rlp.WriteBytes(output[offset..], t.Encoded);
            _commit.CopyTo(output[offset..]);
            return offset + _commit.Length;
        }
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
