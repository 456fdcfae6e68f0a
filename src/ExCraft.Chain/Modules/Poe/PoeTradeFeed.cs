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
    // Looked up twice per trade, so a hash map; written in address order at the end.
    private readonly Dictionary<Address, WorkingTally> _accounts = new();
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
            // Each market comes once, so its tally is read on its first qualifying trade and written once.
            MarketTally? tally = null;
            foreach (var trade in trades)
            {
                if (!Qualifies(trade)) continue;
                tally ??= PoeState.ReadMarketTally(state, epoch, market.Base, market.Quote) ?? MarketTally.Empty(market.Base, market.Quote);
                tally = Count(market.Base, market.Quote, tally, trade);
            }
            if (tally is not null) PoeState.WriteMarketTally(state, epoch, tally);
            PoeState.WriteCursor(state, market.Base, market.Quote, market.NextTradeId);
        }
        if (!_changed) return;
        foreach (var account in _accounts.Keys.Order()) PoeState.WriteAccountTally(state, epoch, account, _accounts[account].ToTally());
        PoeState.WriteSequence(state, _sequence);
    }

    private MarketTally Count(string baseAsset, string quoteAsset, MarketTally market, TradeRecord trade)
    {
        _changed = true;
        _sequence++;
        TallyOf(trade.Buyer).Add(buy: true, baseAsset, trade.BaseAmount, baseAsset, trade.BuyerFee);
        TallyOf(trade.Seller).Add(buy: false, baseAsset, trade.BaseAmount, quoteAsset, trade.SellerFee);
        return market.WithTrade(trade.TakerIsBuyer, trade.BaseAmount, trade.QuoteAmount, trade.Price, _sequence);
    }

    /// <summary>The account's tally for this block, read from state on its first trade and then added to in place.</summary>
    private WorkingTally TallyOf(Address account)
    {
        if (_accounts.TryGetValue(account, out var tally)) return tally;
        tally = new WorkingTally(PoeState.ReadAccountTally(state, epoch, account) ?? AccountTally.Empty());
        _accounts[account] = tally;
        return tally;
    }

    /// <summary>
    /// An account tally being counted: the same sums as <see cref="AccountTally.WithTrade"/>, kept in
    /// its own copies of the two maps instead of copying both maps on every trade.
    /// </summary>
    private sealed class WorkingTally(AccountTally stored)
    {
        private readonly SortedDictionary<string, UInt128> _quantities = new(stored.Quantities, StringComparer.Ordinal);
        private readonly SortedDictionary<string, UInt128> _fees = new(stored.Fees, StringComparer.Ordinal);
        private ulong _buys = stored.Buys;
        private ulong _sells = stored.Sells;

        public void Add(bool buy, string baseAsset, UInt128 quantity, string feeAsset, UInt128 fee)
        {
            _quantities[baseAsset] = Amount.Add(_quantities.GetValueOrDefault(baseAsset), quantity);
            if (fee > 0) _fees[feeAsset] = Amount.Add(_fees.GetValueOrDefault(feeAsset), fee);
            if (buy) _buys++;
            else _sells++;
        }

        public AccountTally ToTally() => new(_buys, _sells, _quantities, _fees);
    }
}
