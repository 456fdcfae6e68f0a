using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>
/// Runs engine calls for one block hook over state: loads each market's book once (Restore from
/// state), turns every engine output into balance, lock and fee-pool changes, trade records and
/// events, and at the end writes the touched orders, the counters and the amounts kept in its
/// <see cref="SettlementLedger"/> back. One instance per hook; nothing may read balances, locks or
/// fee pools from state between its first operation and <see cref="Save"/>.
/// </summary>
public sealed class MarketExchange(StateOverlay state, ulong height, Action<ChainEvent> emit)
{
    private readonly MarketsState _markets = new(state);
    private readonly SettlementLedger _ledger = new(state);
    private readonly SortedDictionary<string, OpenMarket> _open = new(StringComparer.Ordinal);
    private readonly MatchOutput _output = new();
    private OpenMarket? _last;

    private sealed class OpenMarket(MarketRecord record, (OrderBook Book, IReadOnlyDictionary<ulong, OrderView> Stored) loaded)
    {
        public MarketRecord Record { get; set; } = record;
        /// <summary>"BASE/QUOTE", made once for all of the hook's events.</summary>
        public string Pair { get; } = record.Definition.Pair;
        public OrderBook Book { get; } = loaded.Book;
        /// <summary>The orders as stored when the book was loaded, by id (what Save replaces).</summary>
        public IReadOnlyDictionary<ulong, OrderView> Stored { get; } = loaded.Stored;
        /// <summary>Ids of orders changed in this hook; <see cref="MarketsState.SaveBook"/> writes them back in id order.</summary>
        public HashSet<ulong> Touched { get; } = [];
        public ulong NextTradeId { get; set; } = record.NextTradeId;
        /// <summary>Expiry block times of orders placed in this hook, by order id (stored with the order at Save).</summary>
        public SortedDictionary<ulong, ulong> NewExpiryTimes { get; } = [];
    }

    /// <summary>Applies one queued operation; a refusal by the engine is an event, the operation's reserved funds go back.</summary>
    public void Apply(QueuedOperation op)
    {
        switch (op.Payload)
        {
            case PlaceOrderPayload p:
                Place(op, p);
                break;
            case CancelOrderPayload c:
                if (Open(c.Base, c.Quote) is not { } cancelMarket) return;
                Run(cancelMarket, o => _ = c.OrderId != 0 ? cancelMarket.Book.Cancel(op.Sender, c.OrderId, o) : cancelMarket.Book.CancelByClientOrderId(op.Sender, c.ClientOrderId, o));
                break;
            case CancelAllPayload a:
                var pairs = a.AllMarkets
                    ? MarketsState.ReadOrdersOf(state, op.Sender).Select(x => (x.Base, x.Quote)).Distinct().ToList()
                    : [(a.Base, a.Quote)];
                foreach (var (b, q) in pairs)
                {
                    if (Open(b, q) is { } market) Run(market, o => market.Book.CancelAll(op.Sender, o));
                }
                break;
            case AmendOrderPayload m:
                var amendAsset = op.PreLockedAsset;
                _ledger.Unlock(op.Sender, amendAsset, op.PreLocked); // the reservation for a growing lock becomes free balance
                if (Open(m.Base, m.Quote) is not { } amendMarket) return;
                Run(amendMarket, o => _ = amendMarket.Book.Amend(op.Sender, m.OrderId, m.NewPrice, m.NewSize,
                    amendAsset.Length == 0 ? 0 : _ledger.Balance(op.Sender, amendAsset), o));
                break;
            default:
                throw new InvalidOperationException($"{op.Payload.Name} is not a market operation");
        }
    }

    /// <summary>
    /// A place: the most frequent operation, so it calls the engine directly rather than through
    /// <see cref="Run"/>'s delegate (whose captured variables cost an allocation per operation).
    /// </summary>
    private void Place(QueuedOperation op, PlaceOrderPayload p)
    {
        _ledger.Unlock(op.Sender, op.PreLockedAsset, op.PreLocked); // the reservation becomes free balance the engine locks from
        var market = Open(p.Base, p.Quote);
        if (market is null || market.Record.Definition.Halted)
        {
            // Halted by governance earlier in this block: the place is refused and its reservation stays free.
            EmitRejected(op.Sender, p.Base, p.Quote, p.ClientOrderId, market is null ? "unknown_market" : "market_halted");
            return;
        }
        var request = new OrderRequest(op.Sender, (Side)p.Side, (OrderType)p.Type, (TimeInForce)p.TimeInForce, p.Price, p.Size, p.QuoteBudget,
            p.ClientOrderId, p.ExpiryHeight, (SelfTradePrevention)p.SelfTrade);
        var lockAsset = p.IsBuy ? p.Quote : p.Base;
        _output.Clear();
        market.Book.Place(request, height, _ledger.Balance(op.Sender, lockAsset), _output);
        Settle(market, _output);
        if (p.ExpiryTimeMs == 0) return;
        foreach (var e in _output.Events)
        {
            if (e.Kind != OrderEventKind.Accepted) continue;
            if (e.OrderId != 0) market.NewExpiryTimes[e.OrderId] = p.ExpiryTimeMs;
            break;
        }
    }

    /// <summary>Cancels every order of the market whose expiry height has come.</summary>
    public void Expire(string baseAsset, string quoteAsset)
    {
        if (Open(baseAsset, quoteAsset) is { } market) Run(market, o => market.Book.ExpireOrders(height, o));
    }

    /// <summary>Cancels every open order whose expiry block time is at or before the block's time, earliest first, then by market and id.</summary>
    public void ExpireByTime(ulong blockTimeMs)
    {
        var due = state.IteratePrefix(MarketsKeys.AllTimeExpiries).Select(kv => MarketsKeys.ParseTimeExpiry(kv.Key))
            .TakeWhile(e => e.TimeMs <= blockTimeMs).ToList();
        foreach (var (_, b, q, id) in due)
        {
            if (Open(b, q) is { } market) Run(market, o => market.Book.ExpireOrderByTime(id, o));
        }
    }

    /// <summary>Whether some order's expiry block time is at or before this time (so the begin-block hook has work).</summary>
    public static bool AnyDueByTime(IStateReader reader, ulong blockTimeMs) =>
        reader.IteratePrefix(MarketsKeys.AllTimeExpiries).Take(1).Any(kv => MarketsKeys.ParseTimeExpiry(kv.Key).TimeMs <= blockTimeMs);

    /// <summary>Runs the per-block auction of every batch-mode market opened in this hook.</summary>
    public void RunAuctions()
    {
        foreach (var market in _open.Values.Where(m => m.Record.Mode == MatchingMode.BatchAuction && !m.Record.Definition.Halted))
            Run(market, o => market.Book.RunAuction(o));
    }

    /// <summary>Writes every touched order, each market's counters and the moved amounts back to state.</summary>
    public void Save()
    {
        foreach (var market in _open.Values) market.Record = _markets.SaveBook(market.Record, market.Book, market.Stored, market.Touched, market.NextTradeId, market.NewExpiryTimes);
        _ledger.Flush();
    }

    private OpenMarket? Open(string baseAsset, string quoteAsset)
    {
        // A block's operations mostly hit the market the one before hit: found without making its pair name.
        if (_last is { } last && last.Record.Base == baseAsset && last.Record.Quote == quoteAsset) return last;
        var pair = MarketPairs.Name(baseAsset, quoteAsset);
        if (!_open.TryGetValue(pair, out var open))
        {
            if (_markets.GetMarket(baseAsset, quoteAsset) is not { } record) return null;
            open = new OpenMarket(record, _markets.LoadBook(record));
            _open[pair] = open;
        }
        _last = open;
        return open;
    }

    private void Run(OpenMarket market, Action<MatchOutput> call)
    {
        _output.Clear();
        call(_output);
        Settle(market, _output);
    }

    /// <summary>Locks, then fills, then releases (the engine's documented order), so no lock goes below zero on the way.</summary>
    private void Settle(OpenMarket market, MatchOutput output)
    {
        var (b, q) = (market.Record.Base, market.Record.Quote);
        foreach (var e in output.Events)
        {
            if (e.Kind != OrderEventKind.Rejected) market.Touched.Add(e.OrderId);
            _ledger.Lock(e.Account, e.Side == Side.Buy ? q : b, e.FundsLocked);
        }
        foreach (var fill in output.Fills)
        {
            market.Touched.Add(fill.MakerOrderId);
            market.Touched.Add(fill.TakerOrderId);
            _ledger.SpendLocked(fill.Buyer, q, fill.QuoteAmount);
            _ledger.SpendLocked(fill.Seller, b, fill.BaseAmount);
            _ledger.Credit(fill.Seller, q, fill.QuoteAmount - fill.SellerFee);
            _ledger.Credit(fill.Buyer, b, fill.BaseAmount - fill.BuyerFee);
            _ledger.AddFee(q, fill.SellerFee);
            _ledger.AddFee(b, fill.BuyerFee);
            var trade = new TradeRecord(market.NextTradeId++, height, fill.Buyer, fill.Seller, fill.BuyOrderId, fill.SellOrderId, fill.TakerSide == Side.Buy,
                fill.Price, fill.BaseAmount, fill.QuoteAmount, fill.BuyerFee, fill.SellerFee);
            _markets.PutTrade(b, q, trade);
            emit(MarketTradeDetail.Event(market.Pair, trade));
        }
        foreach (var e in output.Events)
        {
            _ledger.Unlock(e.Account, e.Side == Side.Buy ? q : b, e.FundsReleased);
            emit(MarketOrderDetail.Event(market.Pair, e));
        }
    }

    private void EmitRejected(Address account, string b, string q, ulong clientOrderId, string reason) => emit(ChainEvent.Of(MarketsModule.Events.Order,
        ("market", MarketPairs.Name(b, q)), ("change", "rejected"), ("orderId", "0"), ("account", AddressTextCache.TextOf(account)),
        ("clientOrderId", clientOrderId.ToString()), ("reason", reason)));
}
