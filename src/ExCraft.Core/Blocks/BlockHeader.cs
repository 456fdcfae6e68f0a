using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Blocks;

/// <summary>
/// Block header. AppHash commits to the state after the previous block (the block's own effects
/// are committed by the next header). LastCommitHash commits to the previous block's commit the
/// block carries, which execution reads (who signed, for downtime), so the hash fixes everything
/// execution depends on. Hash = keccak256(rlp(header)).
/// </summary>
public sealed record BlockHeader(
    ulong ChainId,
    ulong Height,
    ulong TimeMs,
    byte[] PreviousHash,
    byte[] LastCommitHash,
    byte[] TransactionsRoot,
    byte[] AppHash,
    Address Proposer)
{
    private byte[]? _hash;

    /// <summary>Used by <c>with</c>: copies the fields but not the cached hash, which the change would make stale.</summary>
    private BlockHeader(BlockHeader original)
    {
        ChainId = original.ChainId;
        Height = original.Height;
        TimeMs = original.TimeMs;
        PreviousHash = original.PreviousHash;
        LastCommitHash = original.LastCommitHash;
        TransactionsRoot = original.TransactionsRoot;
        AppHash = original.AppHash;
        Proposer = original.Proposer;
    }

    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeUInt(ChainId), Rlp.EncodeUInt(Height), Rlp.EncodeUInt(TimeMs), Rlp.EncodeBytes(PreviousHash),
        Rlp.EncodeBytes(LastCommitHash), Rlp.EncodeBytes(TransactionsRoot), Rlp.EncodeBytes(AppHash), Rlp.EncodeBytes(Proposer.ToBytes()));

    public byte[] Hash => _hash ??= Keccak256.Hash(Encode());

    public static BlockHeader Decode(RlpItem item)
    {
        var f = item.ListOf(8, "block header");
        return new BlockHeader(f[0].AsUInt64(), f[1].AsUInt64(), f[2].AsUInt64(), f[3].AsFixed(32, "previous hash"), f[4].AsFixed(32, "last commit hash"),
            f[5].AsFixed(32, "transactions root"), f[6].AsFixed(32, "app hash"), new Address(f[7].AsFixed(Address.Length, "proposer")));
    }
}
