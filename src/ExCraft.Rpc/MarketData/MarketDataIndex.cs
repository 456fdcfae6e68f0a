using System.Globalization;
using ExCraft.Chain;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Transactions;

namespace ExCraft.Rpc.MarketData;

/// <summary>
/// The node's market-data index (docs/market-data.md): trades with block times, candles, the 24h
/// ticker, order history and a sequenced aggregated book per market. It is not consensus state: it
/// lives in memory and is rebuilt at start from the stored blocks' events (market_trade,
/// market_order), so a restart gives the same answers; then every committed block is applied
/// once, in height order, and <see cref="Updated"/> is raised with what changed, under the index's
/// lock, so a stream that takes a snapshot under <see cref="Exclusive"/> sees every later delta
/// and none before. Handlers must only queue (never block): block commit waits for them.
/// </summary>
public sealed class MarketDataIndex
{
    public const ulong TickerWindowMs = 86_400_000;

    private readonly object _gate = new();
    private readonly Func<string, string, IEnumerable<OrderView>> _readOrders;
    private readonly SortedDictionary<string, MarketSeries> _markets = new(StringComparer.Ordinal);
    private readonly Dictionary<Address, AccountHistory> _closedByAccount = [];
    private readonly MarketDataLimits _limits;
    private ulong _height;
    private ulong _timeMs;

    /// <param name="readOrders">Reads a market's open orders from committed state (once per market; the order events move them after that).</param>
    /// <param name="limits">How much history it keeps in memory; null: <see cref="MarketDataLimits.Default"/>.</param>
    public MarketDataIndex(Func<string, string, IEnumerable<OrderView>> readOrders, MarketDataLimits? limits = null)
    {
        _readOrders = readOrders;
        _limits = limits ?? MarketDataLimits.Default;
    }

    /// <summary>Raised after each applied block, inside the index's lock.</summary>
    public event Action<MarketDataUpdate>? Updated;

    public ulong Height { get { lock (_gate) return _height; } }

    /// <summary>
    /// An index over <paramref name="chain"/>: rebuilt from every stored block's events up to the
    /// head, then fed by each commit. A commit that arrives during the rebuild is applied after it.
    /// </summary>
    public static MarketDataIndex Open(Blockchain chain)
    {
        var index = new MarketDataIndex((b, q) => ReadOrders(chain.State, b, q));
        chain.Committed += (block, receipts) => index.OnCommitted(chain, block, receipts);
        index.CatchUp(chain, chain.Head.Height, null);
        return index;
    }

    /// <summary>A market's open orders in committed state, bids then asks.</summary>
    public static IEnumerable<OrderView> ReadOrders(IStateReader state, string baseAsset, string quoteAsset) =>
        MarketsState.ReadSide(state, baseAsset, quoteAsset, buy: true).Concat(MarketsState.ReadSide(state, baseAsset, quoteAsset, buy: false));

    /// <summary>Runs <paramref name="action"/> while no block is being applied (for a stream's snapshot).</summary>
    public void Exclusive(Action action)
    {
        lock (_gate) action();
    }

    private void OnCommitted(Blockchain chain, Block block, IReadOnlyList<Receipt> receipts) => CatchUp(chain, block.Height, (block, receipts));

    /// <summary>Applies every block after the last applied one up to <paramref name="height"/>; a block given live is not read back.</summary>
    private void CatchUp(Blockchain chain, ulong height, (Block Block, IReadOnlyList<Receipt> Receipts)? live)
    {
        lock (_gate)
        {
            var rebuilding = _height == 0;
            for (var h = _height + 1; h <= height; h++)
            {
                var events = chain.GetBlockEvents(h);
                var isLive = live is { } l && l.Block.Height == h;
                if (!isLive && !events.Any(IsMarketEvent))
                {
                    _height = h;
                    continue;
                }
                // A pruned block body leaves the time unknown (0): such trades are kept but form no candle.
                var block = isLive ? live!.Value.Block : chain.GetBlock(h);
                var receipts = isLive ? live!.Value.Receipts : [];
                Apply(block, h, block?.Header.TimeMs ?? 0, receipts, events, readBooks: isLive || !rebuilding);
            }
            if (rebuilding) RefreshBooks();
            if (live is { } done && done.Block.Height <= _height && _timeMs < done.Block.Header.TimeMs) _timeMs = done.Block.Header.TimeMs;
            if (height == chain.Head.Height && _timeMs < chain.Head.TimeMs) _timeMs = chain.Head.TimeMs;
        }
    }

    private static bool IsMarketEvent(ChainEvent e) => e.Type is MarketsModule.Events.Trade or MarketsModule.Events.Order;

    /// <summary>
    /// Applies one block's events (public for unit tests, which feed events without a chain). With
    /// <paramref name="readBooks"/> the books of markets whose orders changed are read again and
    /// their sequence advances; during a rebuild only the sequences advance and books are read once at the end.
    /// </summary>
    public MarketDataUpdate? Apply(Block? block, ulong height, ulong timeMs, IReadOnlyList<Receipt> receipts, IReadOnlyList<ChainEvent> events, bool readBooks = true)
    {
        lock (_gate)
        {
            if (height <= _height && _height != 0) return null;
            _height = height;
            _timeMs = Math.Max(_timeMs, timeMs);
            var trades = new List<IndexedTrade>();
            var tradesByMarket = new Dictionary<MarketSeries, List<IndexedTrade>>(); // in order of each market's first trade
            var orderEvents = new List<ChainEvent>();
            var changed = new SortedSet<string>(StringComparer.Ordinal);
            var candles = new Dictionary<(string, string), CandleUpdate>();
            foreach (var e in events)
            {
                if (e.Type == MarketsModule.Events.Trade && ParseTrade(e, height, timeMs) is { } trade)
                {
                    trades.Add(trade);
                    var series = Series(trade.Market);
                    series.AddTrade(trade, _limits);
                    if (!tradesByMarket.TryGetValue(series, out var ofMarket)) tradesByMarket[series] = ofMarket = [];
                    ofMarket.Add(trade);
                    AddFill(series, trade.Trade.BuyOrderId, trade.Trade.BaseAmount);
                    AddFill(series, trade.Trade.SellOrderId, trade.Trade.BaseAmount);
                }
                else if (e.Type == MarketsModule.Events.Order && ReadOrderChange(e) is { } order)
                {
                    orderEvents.Add(e);
                    var (market, change) = (order.Market, order.Change);
                    if (change != "rejected") changed.Add(market);
                    ApplyOrderEvent(order, height, timeMs);
                    // Only a book loaded before this block takes its events; one loaded after it (below) already holds them.
                    Series(market).Resting?.Apply(change, order.Id, order.Side, order.Price, order.Remaining);
                }
            }
            foreach (var series in tradesByMarket.Keys) FlushFills(series);
            if (timeMs != 0)
                foreach (var (series, ofMarket) in tradesByMarket)
                    foreach (var c in series.AddToCandles(ofMarket)) candles[(c.Market, c.Interval.Name)] = c;
            var books = new List<BookDelta>();
            foreach (var market in changed)
            {
                var series = Series(market);
                series.Sequence++;
                if (!readBooks) continue;
                var next = ReadMarketBook(market, series.Sequence, height);
                books.Add(new BookDelta(next, series.Book.ChangesTo(next)));
                series.Book = next;
            }
            var update = new MarketDataUpdate(height, timeMs, block, receipts, events, books, trades, [.. candles.Values], orderEvents);
            Updated?.Invoke(update);
            return update;
        }
    }

    /// <summary>Reads every known market's open orders again and makes its book at the current sequence (after a rebuild).</summary>
    public void RefreshBooks()
    {
        lock (_gate)
        {
            foreach (var series in _markets.Values) series.Resting = null;
            foreach (var (market, series) in _markets) series.Book = ReadMarketBook(market, series.Sequence, _height);
        }
    }

    /// <summary>The market's book from its open orders, which are read from state the first time only.</summary>
    private MarketBook ReadMarketBook(string market, ulong sequence, ulong height)
    {
        if (!MarketPairs.TryParse(market, out var b, out var q)) return MarketBook.Empty(market);
        var series = Series(market);
        series.Resting ??= new RestingOrders(_readOrders(b, q));
        var (bids, asks) = series.Resting.Levels();
        return new MarketBook(market, sequence, height, bids, asks);
    }

    /// <summary>The book at the index's sequence for the market (a market with no order yet: sequence 0, read now).</summary>
    public MarketBook Book(string market)
    {
        lock (_gate)
        {
            var series = Series(market);
            if (series.Book.Height == 0 && series.Book.Market == market && series.Sequence == 0) series.Book = ReadMarketBook(market, 0, _height);
            return series.Book;
        }
    }

    /// <summary>The market's book and the height of the last applied block, read together (the book is unchanged since its own height).</summary>
    public (MarketBook Book, ulong Height) BookAtHead(string market)
    {
        lock (_gate) return (Book(market), _height);
    }

    public (ulong Height, ulong TimeMs) Head { get { lock (_gate) return (_height, _timeMs); } }

    /// <summary>Trades with fromMs &lt;= block time &lt; toMs and id &gt; afterId, oldest first, at most limit; More says whether more match.</summary>
    public (IReadOnlyList<IndexedTrade> Trades, bool More) TradesByTime(string market, ulong fromMs, ulong toMs, ulong afterId, int limit)
    {
        lock (_gate)
        {
            if (!_markets.TryGetValue(market, out var series)) return ([], false);
            var start = LowerBound(series.Trades, fromMs);
            var result = new List<IndexedTrade>();
            for (var i = start; i < series.Trades.Count && series.Trades[i].TimeMs < toMs; i++)
            {
                if (series.Trades[i].Trade.Id <= afterId) continue;
                if (result.Count == limit) return (result, true);
                result.Add(series.Trades[i]);
            }
            return (result, false);
        }
    }

    /// <summary>Candles opening in [fromMs, toMs), oldest first; without fromMs the latest ones, at most limit.</summary>
    public IReadOnlyList<Candle> Candles(string market, CandleInterval interval, ulong? fromMs, ulong toMs, int limit)
    {
        lock (_gate)
        {
            if (!_markets.TryGetValue(market, out var series)) return [];
            var all = series.CandlesOf(interval);
            var inRange = all.Values.Where(c => c.OpenTimeMs < toMs && (fromMs is null || c.OpenTimeMs >= fromMs));
            return fromMs is null ? [.. inRange.TakeLast(limit)] : [.. inRange.Take(limit)];
        }
    }

    public MarketTicker Ticker(string market)
    {
        lock (_gate)
        {
            var windowStart = _timeMs > TickerWindowMs ? _timeMs - TickerWindowMs + 1 : 0;
            if (!_markets.TryGetValue(market, out var series) || series.Trades.Count == 0)
                return new MarketTicker(market, _height, _timeMs, null, null, null, null, 0, 0, 0, windowStart);
            var last = series.Trades[^1].Trade.Price;
            UInt128? open = null, high = null, low = null;
            UInt128 volume = 0, quoteVolume = 0;
            ulong count = 0;
            for (var i = LowerBound(series.Trades, windowStart); i < series.Trades.Count; i++)
            {
                var t = series.Trades[i].Trade;
                open ??= t.Price;
                high = high is { } h ? UInt128.Max(h, t.Price) : t.Price;
                low = low is { } lo ? UInt128.Min(lo, t.Price) : t.Price;
                volume += t.BaseAmount;
                quoteVolume += t.QuoteAmount;
                count++;
            }
            return new MarketTicker(market, _height, _timeMs, last, open, high, low, volume, quoteVolume, count, windowStart);
        }
    }

    public IReadOnlyList<string> Markets() { lock (_gate) return [.. _markets.Keys]; }

    /// <summary>An order the index knows (open or closed), or null.</summary>
    public OrderHistoryEntry? Order(string market, ulong orderId)
    {
        lock (_gate) return _markets.TryGetValue(market, out var series) ? series.Orders.GetValueOrDefault(orderId) : null;
    }

    /// <summary>
    /// The account's closed orders, newest first (in the order they closed), optionally of one
    /// market; <paramref name="before"/> is the cursor of the previous page (null: from the newest).
    /// Next is the cursor of the next page, null on the last.
    /// </summary>
    public (IReadOnlyList<OrderHistoryEntry> Orders, ulong? Next) OrderHistory(Address account, string? market, int limit, ulong? before)
    {
        lock (_gate)
        {
            if (!_closedByAccount.TryGetValue(account, out var history)) return ([], null);
            // Positions count every order the account ever closed (a cursor stays valid when old entries are dropped).
            var closed = history.Entries;
            var end = Math.Min(before ?? history.Total, history.Total);
            var result = new List<OrderHistoryEntry>();
            for (var position = end; position > history.Dropped; position--)
            {
                var entry = closed[(int)(position - 1 - history.Dropped)];
                if (market is not null && entry.Market != market) continue;
                if (result.Count == limit) return (result, position);
                result.Add(entry);
            }
            return (result, null);
        }
    }

    private MarketSeries Series(string market)
    {
        if (!_markets.TryGetValue(market, out var series)) _markets[market] = series = new MarketSeries(market);
        return series;
    }

    private static int LowerBound(List<IndexedTrade> trades, ulong timeMs)
    {
        int lo = 0, hi = trades.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (trades[mid].TimeMs < timeMs) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// Counts a fill towards the order's filled size. It is held until the order's next event in
    /// the block, which the engine emits after the call's trades and which makes the order's new
    /// entry anyway, or else until the block's end (<see cref="FlushFills"/>): one entry per order
    /// event, not another copy per fill (docs/BENCHMARKS.md e2e-orders, round 7).
    /// </summary>
    private static void AddFill(MarketSeries series, ulong orderId, UInt128 size) =>
        series.PendingFills[orderId] = series.PendingFills.GetValueOrDefault(orderId) + size;

    /// <summary>The fills held for the order since its last entry, taken out.</summary>
    private static UInt128 TakeFills(MarketSeries series, ulong orderId) => series.PendingFills.Remove(orderId, out var size) ? size : 0;

    /// <summary>Writes the fills no event of the block took into their orders' entries.</summary>
    private static void FlushFills(MarketSeries series)
    {
        foreach (var (orderId, size) in series.PendingFills)
        {
            var entry = series.Orders.GetValueOrDefault(orderId) ?? NewEntry(series.Market, orderId);
            series.Orders[orderId] = entry with { Filled = entry.Filled + size };
        }
        series.PendingFills.Clear();
    }

    private static OrderHistoryEntry NewEntry(string market, ulong orderId) => new(market, orderId, Address.Zero, 0, Side.Buy, 0, 0, 0, 0, "accepted", "", 0, 0, 0);

    /// <summary>What the index takes from an order event, typed.</summary>
    private readonly record struct OrderChange(string Market, string Change, ulong Id, Address Account, ulong ClientOrderId, Side Side, UInt128 Price, UInt128 Remaining, string Reason);

    /// <summary>
    /// The order change an event carries: its typed <see cref="ChainEvent.Detail"/> when the block
    /// was executed in this process (no text to parse, docs/BENCHMARKS.md e2e-orders round 5),
    /// otherwise its attributes, read in one pass (a rebuild from stored events).
    /// </summary>
    private static OrderChange? ReadOrderChange(ChainEvent e)
    {
        if (e.Detail is MarketOrderDetail { Change: var d } typed)
            return new OrderChange(typed.Market, MarketsText.Change(d.Kind), d.OrderId, d.Account, d.ClientOrderId, d.Side, d.Price, d.RemainingSize, MarketsText.Reason(d.Reason));
        string? market = null, change = null, idText = null, accountText = null, remainingText = null, reason = null, clientText = null, sideText = null, priceText = null;
        var attributes = e.Attributes;
        for (var i = 0; i < attributes.Count; i++)
        {
            var (key, value) = attributes[i];
            switch (key)
            {
                case "market": market = value; break;
                case "change": change = value; break;
                case "orderId": idText = value; break;
                case "account": accountText = value; break;
                case "remaining": remainingText = value; break;
                case "reason": reason = value; break;
                case "clientOrderId": clientText = value; break;
                case "side": sideText = value; break;
                case "price": priceText = value; break;
            }
        }
        if (market is null) return null;
        return new OrderChange(market, change ?? "", ULong(idText), ParseAddress(accountText) ?? Address.Zero, ULong(clientText), sideText == "sell" ? Side.Sell : Side.Buy,
            Units(priceText), Units(remainingText), reason ?? "");
    }

    private void ApplyOrderEvent(OrderChange order, ulong height, ulong timeMs)
    {
        // One new entry per event: the attribute scans and the chain of record copies ('with')
        // were the largest part of applying an order block (docs/BENCHMARKS.md e2e-orders, round 4).
        var (market, change, id, account, clientOrderId, side, price, remaining, reason) = order;
        if (change == "rejected" && id == 0)
        {
            // Refused at matching: no id was used; the account's history still shows it with its reason.
            Close(new OrderHistoryEntry(market, 0, account, clientOrderId, side, price, remaining, 0, remaining, "rejected", reason, height, height, timeMs));
            return;
        }
        var series = Series(market);
        var orders = series.Orders;
        var known = orders.GetValueOrDefault(id);
        var filled = (known?.Filled ?? 0) + TakeFills(series, id);
        var size = change switch
        {
            "accepted" => remaining,
            "amended" => filled + remaining,
            _ => known?.Size ?? 0,
        };
        var opened = change == "accepted" ? height : known?.OpenedHeight ?? 0;
        if (opened == 0) opened = height;
        var closes = change is "filled" or "cancelled" or "rejected";
        var entry = new OrderHistoryEntry(market, id, account, clientOrderId, side, price, size, filled, remaining, change, reason, opened,
            closes ? height : known?.ClosedHeight ?? 0, closes ? timeMs : known?.ClosedTimeMs ?? 0);
        orders[id] = entry;
        if (!closes) return;
        Close(entry);
        series.ForgetOldestClosed(id, _limits.ClosedOrdersPerMarket);
    }

    private void Close(OrderHistoryEntry entry)
    {
        if (!_closedByAccount.TryGetValue(entry.Account, out var history)) _closedByAccount[entry.Account] = history = new AccountHistory();
        history.Add(entry, _limits.ClosedOrdersPerAccount);
    }

    /// <summary>
    /// Whether a list kept to <paramref name="keep"/> entries is due a trim: a quarter past the
    /// limit, so it is trimmed in steps rather than once per entry (each trim moves the kept entries).
    /// </summary>
    private static bool PastTrimPoint(int count, int keep) => count > keep + keep / 4;

    /// <summary>
    /// An account's closed orders in the order they closed: the newest <see cref="MarketDataLimits.ClosedOrdersPerAccount"/>
    /// (up to a quarter more between trims), after <see cref="Dropped"/> older ones that are no longer kept.
    /// </summary>
    private sealed class AccountHistory
    {
        public List<OrderHistoryEntry> Entries { get; } = [];

        public ulong Dropped { get; private set; }

        public ulong Total => Dropped + (ulong)Entries.Count;

        public void Add(OrderHistoryEntry entry, int keep)
        {
            Entries.Add(entry);
            if (!PastTrimPoint(Entries.Count, keep)) return;
            var drop = Entries.Count - keep;
            Entries.RemoveRange(0, drop);
            Dropped += (ulong)drop;
        }
    }

    /// <summary>A trade event as indexed: from its typed record when executed here, else parsed from its attributes.</summary>
    private IndexedTrade? ParseTrade(ChainEvent e, ulong height, ulong timeMs)
    {
        if (e.Detail is MarketTradeDetail typed) return new IndexedTrade(typed.Market, typed.Trade, timeMs);
        string? market = null, buyerText = null, sellerText = null, tradeId = null, buyOrderId = null, sellOrderId = null, takerSide = null;
        string? price = null, baseAmount = null, quoteAmount = null, buyerFee = null, sellerFee = null;
        var attributes = e.Attributes;
        for (var i = 0; i < attributes.Count; i++)
        {
            var (key, value) = attributes[i];
            switch (key)
            {
                case "market": market = value; break;
                case "buyer": buyerText = value; break;
                case "seller": sellerText = value; break;
                case "tradeId": tradeId = value; break;
                case "buyOrderId": buyOrderId = value; break;
                case "sellOrderId": sellOrderId = value; break;
                case "takerSide": takerSide = value; break;
                case "price": price = value; break;
                case "baseAmount": baseAmount = value; break;
                case "quoteAmount": quoteAmount = value; break;
                case "buyerFee": buyerFee = value; break;
                case "sellerFee": sellerFee = value; break;
            }
        }
        if (market is null || ParseAddress(buyerText) is not { } buyer || ParseAddress(sellerText) is not { } seller) return null;
        var trade = new TradeRecord(ULong(tradeId), height, buyer, seller, ULong(buyOrderId), ULong(sellOrderId), takerSide == "buy",
            Units(price), Units(baseAmount), Units(quoteAmount), Units(buyerFee), Units(sellerFee));
        return new IndexedTrade(market, trade, timeMs);
    }

    private static Address? ParseAddress(string? text) => text is not null && AddressTextCache.TryParse(text, out var address) ? address : null;

    private static ulong ULong(string? text) => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    private static UInt128 Units(string? text) => UInt128.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>One market's trades (id order, which is block-time order), candles per interval, and book.</summary>
    private sealed class MarketSeries(string market)
    {
        public string Market => market;

        /// <summary>Every order the index has seen on this market (open or closed), by id.</summary>
        public Dictionary<ulong, OrderHistoryEntry> Orders { get; } = [];

        /// <summary>Fills of the block being applied not yet in their orders' entries, by order id (<see cref="AddFill"/>).</summary>
        public Dictionary<ulong, UInt128> PendingFills { get; } = [];

        private readonly Dictionary<string, SortedList<ulong, Candle>> _candles = CandleInterval.All.ToDictionary(i => i.Name, _ => new SortedList<ulong, Candle>());

        public List<IndexedTrade> Trades { get; } = [];

        // Closed order ids, oldest first: the ones past the limit leave Orders (open orders always stay).
        private readonly Queue<ulong> _closedIds = new();

        public ulong Sequence { get; set; }
        public MarketBook Book { get; set; } = MarketBook.Empty(market);

        /// <summary>The open orders the book is made from; null until first read from state.</summary>
        public RestingOrders? Resting { get; set; }

        public SortedList<ulong, Candle> CandlesOf(CandleInterval interval) => _candles[interval.Name];

        public void ForgetOldestClosed(ulong closedId, int keep)
        {
            _closedIds.Enqueue(closedId);
            while (_closedIds.Count > keep) Orders.Remove(_closedIds.Dequeue());
        }

        /// <summary>
        /// Adds a trade; past <see cref="MarketDataLimits.TradesPerMarket"/> (<see cref="PastTrimPoint"/>),
        /// the oldest trades go, except those inside the 24-hour ticker window.
        /// </summary>
        public void AddTrade(IndexedTrade trade, MarketDataLimits limits)
        {
            Trades.Add(trade);
            var keep = limits.TradesPerMarket;
            if (!PastTrimPoint(Trades.Count, keep)) return;
            var windowStart = trade.TimeMs > TickerWindowMs ? trade.TimeMs - TickerWindowMs : 0;
            var drop = 0;
            while (drop < Trades.Count - keep && Trades[drop].TimeMs < windowStart) drop++;
            Trades.RemoveRange(0, drop);
        }

        /// <summary>
        /// Adds one block's trades of this market, in id order. They share the block's time, so
        /// they fall in one candle per interval: folded once into the block's own candle, which is
        /// then merged into each interval's (not each trade into each interval).
        /// </summary>
        public IEnumerable<CandleUpdate> AddToCandles(IReadOnlyList<IndexedTrade> blockTrades)
        {
            var block = Candle.Of(0, blockTrades[0]);
            for (var i = 1; i < blockTrades.Count; i++) block = block.With(blockTrades[i]);
            foreach (var interval in CandleInterval.All)
            {
                var candles = _candles[interval.Name];
                var open = interval.OpenTimeOf(blockTrades[0].TimeMs);
                var candle = candles.TryGetValue(open, out var existing) ? existing.Merge(block) : block with { OpenTimeMs = open };
                candles[open] = candle;
                yield return new CandleUpdate(market, interval, candle);
            }
        }
    }
}
