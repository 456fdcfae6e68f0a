using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>Pool names: 1 to 32 characters of ASCII letters, digits, '-', '_' and '.' (docs/pools.md).</summary>
public static class PoolNames
{
    public const int MaxLength = 32;

    public static string? Check(string name)
    {
        if (name.Length is 0 or > MaxLength) return $"pool name must be 1 to {MaxLength} characters, got {name.Length}";
        return name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.') ? null : $"pool name \"{name}\" may hold only ASCII letters, digits, '-', '_' and '.'";
    }
}

/// <summary>Creates a pool with the sender as its Pool Master, locking the creation stake (a pools parameter) from its EXT balance; RetainedPpm is the master's share of the pool's rewards.</summary>
[TxPayloadKind(TxKind.CreatePool, "create_pool")]
public sealed record CreatePoolPayload(string PoolName, uint RetainedPpm) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeString(PoolName), Rlp.EncodeUInt(RetainedPpm));

    public override IReadOnlyList<PayloadField> Describe() =>
        [PayloadField.Text("name", "name", PoolName), PayloadField.Ppm("retainedPpm", "retained", RetainedPpm)];

    internal static CreatePoolPayload Decode(RlpItem item)
    {
        var f = item.ListOf(2, "create_pool payload");
        return new CreatePoolPayload(f[0].AsUtf8(), checked((uint)f[1].AsUInt64()));
    }
}

/// <summary>The master changes its pool's retained percentage, within the per-epoch change limit (a pools parameter).</summary>
[TxPayloadKind(TxKind.UpdatePool, "update_pool")]
public sealed record UpdatePoolPayload(ulong Pool, uint RetainedPpm) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Pool), Rlp.EncodeUInt(RetainedPpm));

    public override IReadOnlyList<PayloadField> Describe() =>
        [PayloadField.Integer("pool", "pool", Pool), PayloadField.Ppm("retainedPpm", "retained", RetainedPpm)];

    internal static UpdatePoolPayload Decode(RlpItem item)
    {
        var f = item.ListOf(2, "update_pool payload");
        return new UpdatePoolPayload(f[0].AsUInt64(), checked((uint)f[1].AsUInt64()));
    }
}

/// <summary>The sender joins a pool (leaving its current one); its PoE counts for the new pool from the next epoch.</summary>
[TxPayloadKind(TxKind.JoinPool, "join_pool")]
public sealed record JoinPoolPayload(ulong Pool) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Pool));

    public override IReadOnlyList<PayloadField> Describe() => [PayloadField.Integer("pool", "pool", Pool)];

    internal static JoinPoolPayload Decode(RlpItem item) => new(item.ListOf(1, "join_pool payload")[0].AsUInt64());
}

/// <summary>The sender leaves its pool; its PoE counts for no pool from the next epoch.</summary>
[TxPayloadKind(TxKind.LeavePool, "leave_pool")]
public sealed record LeavePoolPayload : TxPayload
{
    public override byte[] Encode() => Rlp.EmptyList;

    public override IReadOnlyList<PayloadField> Describe() => [];

    internal static LeavePoolPayload Decode(RlpItem item)
    {
        item.ListOf(0, "leave_pool payload");
        return new LeavePoolPayload();
    }
}

/// <summary>The master deletes its pool: MoveTo 0 evicts every member, otherwise they move into pool MoveTo (from the next epoch); the stake returns at the end of the next epoch.</summary>
[TxPayloadKind(TxKind.DeletePool, "delete_pool")]
public sealed record DeletePoolPayload(ulong Pool, ulong MoveTo) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Pool), Rlp.EncodeUInt(MoveTo));

    public override IReadOnlyList<PayloadField> Describe() =>
        [PayloadField.Integer("pool", "pool", Pool), PayloadField.Integer("moveTo", "move members to pool (0 evicts)", MoveTo)];

    internal static DeletePoolPayload Decode(RlpItem item)
    {
        var f = item.ListOf(2, "delete_pool payload");
        return new DeletePoolPayload(f[0].AsUInt64(), f[1].AsUInt64());
    }
}
