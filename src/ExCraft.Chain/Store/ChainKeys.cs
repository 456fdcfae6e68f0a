using System.Buffers.Binary;
using ExCraft.Core;
using ExCraft.Storage;

namespace ExCraft.Chain.Store;

/// <summary>
/// The node's key layout in the key-value store: one leading byte per table. Heights are
/// big-endian so that key order is height order.
/// </summary>
public static class ChainKeys
{
    public const byte State = (byte)'S';
    private const byte BlockByHeight = (byte)'B';
    private const byte HeightByHash = (byte)'h';
    private const byte CommitByHeight = (byte)'C';
    private const byte ReceiptByTx = (byte)'R';
    private const byte TxByAccount = (byte)'X';
    private const byte EventsByHeight = (byte)'E';

    /// <summary>
    /// The tables' places in the store, handed to RocksDbStore.Open: blocks, commits and per-block events
    /// (keyed by height, written once, large) in "blocks"; receipts, the per-account transaction index and the
    /// hash→height index (keyed by hash, written once) in "receipts"; state and metadata stay in the default
    /// family. Routing only decides where a key is kept, never whether it is found; changing it changes the
    /// on-disk layout (stored as "blocks=42,43,45" and "receipts=52,58,68"), which existing directories refuse.
    /// </summary>
    public static IReadOnlyList<ColumnFamilyRoute> ColumnFamilies { get; } =
    [
        new("blocks", [BlockByHeight], [CommitByHeight], [EventsByHeight]),
        new("receipts", [ReceiptByTx], [TxByAccount], [HeightByHash]),
    ];

    /// <summary>Store options with the chain's column families; tuning from <paramref name="tuning"/> if given.</summary>
    public static RocksDbOptions StoreOptions(RocksDbOptions? tuning = null) => (tuning ?? new RocksDbOptions()) with { ColumnFamilies = ColumnFamilies };

    public static readonly byte[] Head = "Mhead"u8.ToArray();
    public static readonly byte[] GenesisHash = "Mgenesis"u8.ToArray();

    public static byte[] StateKey(byte[] key)
    {
        var full = new byte[1 + key.Length];
        full[0] = State;
        key.CopyTo(full, 1);
        return full;
    }

    public static byte[] Block(ulong height) => WithHeight(BlockByHeight, height);

    public static byte[] Commit(ulong height) => WithHeight(CommitByHeight, height);

    public static byte[] BlockEvents(ulong height) => WithHeight(EventsByHeight, height);

    public static byte[] HeightOf(byte[] blockHash) => [HeightByHash, .. blockHash];

    public static byte[] Receipt(byte[] txHash) => [ReceiptByTx, .. txHash];

    public static byte[] AccountPrefix(Address account) => [TxByAccount, .. account.ToBytes()];

    /// <summary>Account index entry: account, height, index in block; the value is the transaction hash.</summary>
    public static byte[] AccountTx(Address account, ulong height, int index)
    {
        var key = new byte[1 + Address.Length + 8 + 4];
        key[0] = TxByAccount;
        account.WriteTo(key.AsSpan(1));
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1 + Address.Length), height);
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(1 + Address.Length + 8), index);
        return key;
    }

    public static byte[] EncodeHeight(ulong height)
    {
        var value = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, height);
        return value;
    }

    private static byte[] WithHeight(byte prefix, ulong height)
    {
        var key = new byte[9];
        key[0] = prefix;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), height);
        return key;
    }
}
