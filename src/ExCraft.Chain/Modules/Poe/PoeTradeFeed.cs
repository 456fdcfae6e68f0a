using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// How trades reach PoE (docs/poe.md, "How trades reach PoE"): the markets module stores every
/// trade under `t ‖ base ‖ quote ‖ id` with consecutive ids and keeps each market's next trade id
/// in its record. After the markets module's hooks (PoE runs after markets), this reads each
/// market's trades from PoE's cursor up to that next id, counts them into the open epoch's
/// tallies and moves the cursor. Each trade is read once, in the block that made it, so the epoch
/// end never rescans trades, and the markets module needs no change. Within one block, trades are
/// numbered market by market in (base, quote) order, then by trade id.
/// </summary>
public sealed class PoeTradeFeed(StateOverlay state, ulong epoch)
{
    private readonly SortedDictionary<Address, AccountTally> _accounts = new();
    private readonly SortedDictionary<(string, string), MarketTally> _markets = new();
    private ulong _sequence = PoeState.ReadSequence(state);
    private bool _changed;

    /// <summary>A trade counts when buyer and seller differ and a fee was paid on it (SPEC 6).</summary>
    public static bool Qualifies(TradeRecord t) => t.Buyer != t.Seller && (t.BuyerFee > 0 || t.SellerFee > 0);

    /// <summary>Counts every trade made since the last call, then writes the tallies and cursors.</summary>
    public void CollectNewTrades()
    {
        foreach (var market in MarketsState.ReadMarkets(state))
        {
            var cursor = PoeState.ReadCursor(state, market.Base, market.Quote);
            if (market.NextTradeId <= cursor) continue;
            var trades = MarketsState.ReadTrades(state, market.Base, market.Quote, cursor, checked((int)(market.NextTradeId - cursor)));
            foreach (var trade in trades) Count(market.Base, market.Quote, trade);
            PoeState.WriteCursor(state, market.Base, market.Quote, market.NextTradeId);
        }
        if (!_changed) return;
        foreach (var (account, tally) in _accounts) PoeState.WriteAccountTally(state, epoch, account, tally);
        foreach (var tally in _markets.Values) PoeState.WriteMarketTally(state, epoch, tally);
        PoeState.WriteSequence(state, _sequence);
    }

    private void Count(string baseAsset, string quoteAsset, TradeRecord trade)
    {
        if (!Qualifies(trade)) return;
        _changed = true;
        _sequence++;
        var key = (baseAsset, quoteAsset);
        var market = _markets.TryGetValue(key, out var m) ? m : PoeState.ReadMarketTally(state, epoch, baseAsset, quoteAsset) ?? MarketTally.Empty(baseAsset, quoteAsset);
        _markets[key] = market.WithTrade(trade.TakerIsBuyer, trade.BaseAmount, trade.QuoteAmount, trade.Price, _sequence);
        _accounts[trade.Buyer] = TallyOf(trade.Buyer).WithTrade(buy: true, baseAsset, trade.BaseAmount, baseAsset, trade.BuyerFee);
        _accounts[trade.Seller] = TallyOf(trade.Seller).WithTrade(buy: false, baseAsset, trade.BaseAmount, quoteAsset, trade.SellerFee);
    }

    private AccountTally TallyOf(Address account) =>
        _accounts.TryGetValue(account, out var t) ? t : PoeState.ReadAccountTally(state, epoch, account) ?? AccountTally.Empty();
}
