using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Htlc;

/// <summary>One page of an account's HTLCs; Next is the id to pass as "after" for the next page, null on the last.</summary>
public sealed record HtlcPage(IReadOnlyList<HtlcRecord> Htlcs, byte[]? Next);

/// <summary>
/// The htlc module's read API over any state reader. JSON-RPC and gRPC map these records to their
/// wire shapes; the key layout stays inside the module (<see cref="HtlcKeys"/>, <see cref="HtlcState"/>).
/// </summary>
public sealed class HtlcQueries(IStateReader state)
{
    /// <summary>The most HTLCs one page returns.</summary>
    public const int MaxPageSize = 100;

    /// <summary>One HTLC by id, open or settled; null when there is none.</summary>
    public HtlcRecord? Get(byte[] id) => id.Length == HtlcRules.IdLength ? HtlcState.Read(state, id) : null;

    /// <summary>
    /// The account's HTLCs as sender or recipient, oldest lock first (lock height, then id), at most
    /// limit (1 to <see cref="MaxPageSize"/>) of them, starting after the HTLC with id "after" when given.
    /// </summary>
    public HtlcPage ByAccount(Address account, int limit, byte[]? after = null)
    {
        if (limit < 1 || limit > MaxPageSize) throw new ArgumentOutOfRangeException(nameof(limit), $"limit must be between 1 and {MaxPageSize}");
        var ids = HtlcState.ReadIdsOf(state, account);
        if (after is not null) ids = ids.SkipWhile(id => !id.AsSpan().SequenceEqual(after)).Skip(1);
        var page = ids.Take(limit + 1).ToList();
        var htlcs = page.Take(limit).Select(id => HtlcState.Read(state, id)!).ToList();
        return new HtlcPage(htlcs, page.Count > limit ? htlcs[^1].Id : null);
    }

    /// <summary>
    /// The HTLCs locked under a hash lock (anyone may lock under any hash, so there can be several),
    /// oldest lock first, at most <see cref="MaxPageSize"/>; empty for a hash lock of the wrong length.
    /// </summary>
    public IReadOnlyList<HtlcRecord> ByHashLock(byte[] hashLock) => hashLock.Length != HtlcRules.HashLength ? []
        : HtlcState.ReadIdsByHashLock(state, hashLock).Take(MaxPageSize).Select(id => HtlcState.Read(state, id)!).ToList();

    /// <summary>The amount of an asset held by open HTLCs: part of the asset's supply, in no account's balance.</summary>
    public UInt128 Locked(string asset) => HtlcState.ReadLocked(state, asset);

    /// <summary>Every asset held by open HTLCs, in symbol order.</summary>
    public IReadOnlyList<(string Asset, UInt128 Amount)> AllLocked() => HtlcState.ReadAllLocked(state).ToList();
}
