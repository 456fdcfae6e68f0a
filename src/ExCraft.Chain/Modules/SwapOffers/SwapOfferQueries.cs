using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.SwapOffers;

/// <summary>One page of offers; Next is the id to pass as "after" for the next page, null on the last.</summary>
public sealed record SwapOfferPage(IReadOnlyList<SwapOfferRecord> Offers, byte[]? Next);

/// <summary>
/// The swapoffers module's read API over any state reader (JSON-RPC maps its records): one offer,
/// the open offers (all or of one pair), an account's offers, the escrow totals.
/// </summary>
public sealed class SwapOfferQueries(IStateReader state)
{
    /// <summary>The most offers one page returns.</summary>
    public const int MaxPageSize = 100;

    /// <summary>One offer by id, any status; null when there is none.</summary>
    public SwapOfferRecord? Get(byte[] id) => id.Length == SwapOfferRules.IdLength ? SwapOfferState.Read(state, id) : null;

    /// <summary>Open offers, oldest post first (post height, then id).</summary>
    public SwapOfferPage Open(int limit, byte[]? after = null) => Page(SwapOfferState.ReadOpenIds(state), limit, after);

    /// <summary>Open offers of one pair (native asset, outside chain, outside asset), both directions, oldest post first.</summary>
    public SwapOfferPage OpenOfPair(string nativeAsset, string outsideChain, string outsideAsset, int limit, byte[]? after = null) =>
        Page(SwapOfferState.ReadOpenIdsOfPair(state, nativeAsset, outsideChain, outsideAsset), limit, after);

    /// <summary>Offers the account made or took, any status, oldest post first.</summary>
    public SwapOfferPage ByAccount(Address account, int limit, byte[]? after = null) => Page(SwapOfferState.ReadIdsOf(state, account), limit, after);

    /// <summary>The amount of an asset escrowed by open offers: part of the asset's supply, in no account's balance.</summary>
    public UInt128 Escrow(string asset) => SwapOfferState.ReadEscrow(state, asset);

    /// <summary>Every asset escrowed by open offers, in symbol order.</summary>
    public IReadOnlyList<(string Asset, UInt128 Amount)> AllEscrow() => SwapOfferState.ReadAllEscrow(state).ToList();

    private SwapOfferPage Page(IEnumerable<byte[]> ids, int limit, byte[]? after)
    {
        if (limit < 1 || limit > MaxPageSize) throw new ArgumentOutOfRangeException(nameof(limit), $"limit must be between 1 and {MaxPageSize}");
        if (after is not null) ids = ids.SkipWhile(id => !id.AsSpan().SequenceEqual(after)).Skip(1);
        var page = ids.Take(limit + 1).ToList();
        var offers = page.Take(limit).Select(id => SwapOfferState.Read(state, id)!).ToList();
        return new SwapOfferPage(offers, page.Count > limit ? offers[^1].Id : null);
    }
}
