using System.Buffers.Binary;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>
/// Typed access to the markets module's records over an overlay: markets, the authority, open
/// orders (book keys plus indexes by id, by account and by expiry height), per-account and total
/// locked funds, fee pools and trades. Books are rebuilt from state with the engine's Restore and
/// written back order by order, so state is the only truth between operations.
/// </summary>
public sealed class MarketsState(StateOverlay state)
{
    public StateOverlay Overlay => state;

    public static Address ReadAuthority(IStateReader reader) => reader.Get(MarketsKeys.Authority) is { } v ? new Address(v) : Address.Zero;

    public void SetAuthority(Address authority) => state.Set(MarketsKeys.Authority, authority.ToBytes());

    public MarketRecord? GetMarket(string baseAsset, string quoteAsset) => ReadMarket(state, baseAsset, quoteAsset);

    public static MarketRecord? ReadMarket(IStateReader reader, string baseAsset, string quoteAsset) =>
        reader.Get(MarketsKeys.Market(baseAsset, quoteAsset)) is { } v ? MarketRecordCache.Decode(baseAsset, quoteAsset, v) : null;

    /// <summary>Every market, ordered by base then quote symbol (ordinal).</summary>
    public static IEnumerable<MarketRecord> ReadMarkets(IStateReader reader) =>
        reader.IteratePrefix(MarketsKeys.AllMarkets).Select(kv => MarketRecord.Decode(kv.Value))
            .OrderBy(m => m.Base, StringComparer.Ordinal).ThenBy(m => m.Quote, StringComparer.Ordinal).ToList();

    public void PutMarket(MarketRecord market) => state.Set(MarketsKeys.Market(market.Base, market.Quote), market.Encode());

    /// <summary>One side's open orders in price-time order, straight from the key order.</summary>
    public static IEnumerable<OrderView> ReadSide(IStateReader reader, string baseAsset, string quoteAsset, bool buy) =>
        reader.IteratePrefix(MarketsKeys.BookSide(baseAsset, quoteAsset, buy)).Select(kv => OrderRecord.Decode(kv.Value));

    public static OrderView? ReadOrder(IStateReader reader, string baseAsset, string quoteAsset, ulong orderId) =>
        reader.Get(MarketsKeys.OrderIndex(baseAsset, quoteAsset, orderId)) is { } bookKey && reader.Get(bookKey) is { } v ? OrderRecord.Decode(v) : null;

    /// <summary>The account's open orders, by market then id.</summary>
    public static IEnumerable<(string Base, string Quote, OrderView Order)> ReadOrdersOf(IStateReader reader, Address account, string? baseAsset = null, string? quoteAsset = null)
    {
        var prefix = baseAsset is null ? MarketsKeys.AccountIndexPrefix(account) : MarketsKeys.AccountIndexPrefix(account, baseAsset, quoteAsset!);
        foreach (var kv in reader.IteratePrefix(prefix).ToList())
        {
            var (b, q, id) = MarketsKeys.ParseAccountIndex(kv.Key);
            if (ReadOrder(reader, b, q, id) is { } order) yield return (b, q, order);
        }
    }

    /// <summary>
    /// The market's book as the engine holds it, rebuilt from the stored orders and counters, and
    /// those stored orders by id: what <see cref="SaveBook"/> replaces, known without reading each
    /// touched order back from state (two reads and a decode per order a block fills,
    /// docs/BENCHMARKS.md e2e-orders round 7).
    /// </summary>
    public (OrderBook Book, IReadOnlyDictionary<ulong, OrderView> Stored) LoadBook(MarketRecord market)
    {
        var stored = ReadSide(state, market.Base, market.Quote, true).Concat(ReadSide(state, market.Base, market.Quote, false)).ToList();
        var book = OrderBook.Restore(market.Rules, stored, 1, market.NextOrderId, market.NextSequence, market.LastTradePrice);
        return (book, stored.ToDictionary(o => o.Id));
    }

    /// <summary>
    /// Writes back the orders an operation touched: each one's old keys go, and if it is still
    /// open in the book it is stored again under its (possibly new) price-time key. Then the
    /// market's counters follow the book. <paramref name="stored"/> holds the orders as stored
    /// when the book was loaded (<see cref="LoadBook"/>): nothing else writes orders in between.
    /// </summary>
    public MarketRecord SaveBook(MarketRecord market, OrderBook book, IReadOnlyDictionary<ulong, OrderView> stored, IEnumerable<ulong> touched, ulong nextTradeId,
        IReadOnlyDictionary<ulong, ulong>? newExpiryTimes = null)
    {
        // One seek, not a read per touched order: most markets hold no order with an expiry time.
        var anyExpiryTime = state.IteratePrefixFrom(MarketsKeys.OrderExpiryTimesOf(market.Base, market.Quote), null, 1).Count > 0;
        foreach (var id in touched.Distinct().Order())
        {
            // Ids at or above the stored counter were issued in this hook: nothing of them is in state yet, so there is nothing to read or delete.
            var issuedBefore = id < market.NextOrderId;
            // The expiry-time index (module-side: the engine knows heights only) follows the order: kept while open, gone when closed.
            var expiryTime = newExpiryTimes?.GetValueOrDefault(id) ?? 0;
            if (issuedBefore && anyExpiryTime && state.Get(MarketsKeys.OrderExpiryTime(market.Base, market.Quote, id)) is { } oldTime)
            {
                expiryTime = BinaryPrimitives.ReadUInt64BigEndian(oldTime);
                state.Delete(MarketsKeys.OrderExpiryTime(market.Base, market.Quote, id));
                state.Delete(MarketsKeys.TimeExpiry(expiryTime, market.Base, market.Quote, id));
            }
            if (issuedBefore && stored.TryGetValue(id, out var old))
            {
                state.Delete(BookKey(market, old));
                state.Delete(MarketsKeys.OrderIndex(market.Base, market.Quote, id));
                state.Delete(MarketsKeys.AccountIndex(old.Account, market.Base, market.Quote, id));
                if (old.ExpiryHeight != 0) state.Delete(MarketsKeys.Expiry(old.ExpiryHeight, market.Base, market.Quote, id));
            }
            if (book.GetOrder(id) is { } open)
            {
                var key = BookKey(market, open);
                state.Set(key, OrderRecord.Encode(open));
                state.Set(MarketsKeys.OrderIndex(market.Base, market.Quote, id), key);
                state.Set(MarketsKeys.AccountIndex(open.Account, market.Base, market.Quote, id), []);
                if (open.ExpiryHeight != 0) state.Set(MarketsKeys.Expiry(open.ExpiryHeight, market.Base, market.Quote, id), []);
                if (expiryTime != 0)
                {
                    var value = new byte[8];
                    BinaryPrimitives.WriteUInt64BigEndian(value, expiryTime);
                    state.Set(MarketsKeys.OrderExpiryTime(market.Base, market.Quote, id), value);
                    state.Set(MarketsKeys.TimeExpiry(expiryTime, market.Base, market.Quote, id), []);
                }
            }
        }
        var saved = market with { NextOrderId = book.NextOrderId, NextSequence = book.NextSequence, LastTradePrice = book.LastTradePrice, NextTradeId = nextTradeId };
        PutMarket(saved);
        return saved;
    }

    private static byte[] BookKey(MarketRecord market, OrderView order) =>
        MarketsKeys.Order(market.Base, market.Quote, order.Side == Side.Buy, (ulong)(order.Price / market.Definition.TickSize), order.Sequence);

    /// <summary>An open order's expiry block time in ms, 0 when it has none.</summary>
    public static ulong ReadExpiryTime(IStateReader reader, string baseAsset, string quoteAsset, ulong orderId) =>
        reader.Get(MarketsKeys.OrderExpiryTime(baseAsset, quoteAsset, orderId)) is { } v ? BinaryPrimitives.ReadUInt64BigEndian(v) : 0;

    public static UInt128 ReadLocked(IStateReader reader, Address account, string asset) => ReadU128(reader, MarketsKeys.Locked(account, asset));

    public static UInt128 ReadTotalLocked(IStateReader reader, string asset) => ReadU128(reader, MarketsKeys.TotalLocked(asset));

    public static UInt128 ReadFeePool(IStateReader reader, string asset) => ReadU128(reader, MarketsKeys.FeePool(asset));

    /// <summary>Every asset with a fee pool, in symbol order.</summary>
    public static IEnumerable<(string Asset, UInt128 Amount)> ReadFeePools(IStateReader reader) =>
        reader.IteratePrefix(MarketsKeys.AllFeePools).Select(kv => (MarketsKeys.AssetOf(kv.Key, false), BinaryPrimitives.ReadUInt128BigEndian(kv.Value)))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ToList();

    /// <summary>An account's funds held by the module (in orders and in queued places), in symbol order.</summary>
    public static IEnumerable<(string Asset, UInt128 Amount)> ReadLockedOf(IStateReader reader, Address account) =>
        reader.IteratePrefix(MarketsKeys.LockedPrefix(account)).Select(kv => (MarketsKeys.AssetOf(kv.Key, true), BinaryPrimitives.ReadUInt128BigEndian(kv.Value)))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ToList();

    /// <summary>Moves an amount from the account's balance into the module (throws InsufficientFundsException, changing nothing, when short).</summary>
    public void Lock(AccountState accounts, Address account, string asset, UInt128 amount)
    {
        if (amount == 0) return;
        accounts.Debit(account, asset, amount);
        AddLocked(account, asset, amount, add: true);
    }

    /// <summary>Moves an amount the module holds for the account back to its balance.</summary>
    public void Unlock(AccountState accounts, Address account, string asset, UInt128 amount)
    {
        if (amount == 0) return;
        AddLocked(account, asset, amount, add: false);
        accounts.Credit(account, asset, amount);
    }

    /// <summary>Takes an amount out of the account's locked funds without crediting anyone (a fill pays it to the counterparty and the fee pool).</summary>
    public void SpendLocked(Address account, string asset, UInt128 amount) => AddLocked(account, asset, amount, add: false);

    public void AddFee(string asset, UInt128 amount)
    {
        if (amount == 0) return;
        WriteU128(MarketsKeys.FeePool(asset), Amount.Add(ReadFeePool(state, asset), amount));
    }

    /// <summary>Takes an amount out of a fee pool (the epoch-end buyback).</summary>
    public void TakeFee(string asset, UInt128 amount) => WriteU128(MarketsKeys.FeePool(asset), Amount.Subtract(ReadFeePool(state, asset), amount));

    public void PutFeeBurn(FeeBurnRecord record) => state.Set(MarketsKeys.FeeBurn(record.Epoch, record.Asset), record.Encode());

    /// <summary>What the buyback did in an epoch, by asset symbol.</summary>
    public static IReadOnlyList<FeeBurnRecord> ReadFeeBurns(IStateReader reader, ulong epoch) =>
        reader.IteratePrefix(MarketsKeys.FeeBurnsOf(epoch)).Select(kv => FeeBurnRecord.Decode(kv.Value)).OrderBy(r => r.Asset, StringComparer.Ordinal).ToList();

    public void PutTrade(string baseAsset, string quoteAsset, TradeRecord trade) => state.Set(MarketsKeys.Trade(baseAsset, quoteAsset, trade.Id), trade);

    /// <summary>Trades of a market with ids in [fromId, fromId + limit), oldest first.</summary>
    public static IReadOnlyList<TradeRecord> ReadTrades(IStateReader reader, string baseAsset, string quoteAsset, ulong fromId, int limit)
    {
        var trades = new List<TradeRecord>();
        for (var id = fromId; trades.Count < limit && id < fromId + (ulong)limit; id++)
        {
            // A trade made in this block comes back as the record it was written from (PoE reads each block's trades).
            if (StateOverlay.ReadDecoded(reader, MarketsKeys.Trade(baseAsset, quoteAsset, id), TradeRecord.Decode) is not { } trade) break;
            trades.Add(trade);
        }
        return trades;
    }

    public static ulong ReadDeadline(IStateReader reader, Address account) =>
        reader.Get(MarketsKeys.Deadline(account)) is { } v ? BinaryPrimitives.ReadUInt64BigEndian(v) : 0;

    /// <summary>Sets (or with 0 clears) the account's dead-man's switch, replacing the one before.</summary>
    public void SetDeadline(Address account, ulong height)
    {
        var previous = ReadDeadline(state, account);
        if (previous != 0)
        {
            state.Delete(MarketsKeys.DeadlineIndex(previous, account));
            state.Delete(MarketsKeys.Deadline(account));
        }
        if (height == 0) return;
        var value = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, height);
        state.Set(MarketsKeys.Deadline(account), value);
        state.Set(MarketsKeys.DeadlineIndex(height, account), []);
    }

    /// <summary>Accounts whose deadline is at or below the height, earliest first.</summary>
    public static IReadOnlyList<Address> ReadDueDeadlines(IStateReader reader, ulong height) =>
        reader.IteratePrefix(MarketsKeys.AllDeadlines).Select(kv => MarketsKeys.ParseDeadlineIndex(kv.Key))
            .TakeWhile(d => d.Height <= height).Select(d => d.Account).ToList();

    /// <summary>The expiry height of the account's authorization of the agent, or 0 when there is none.</summary>
    public static ulong ReadAgentExpiry(IStateReader reader, Address account, Address agent) =>
        reader.Get(MarketsKeys.Agent(account, agent)) is { } v ? BinaryPrimitives.ReadUInt64BigEndian(v) : 0;

    /// <summary>The account's agents with their expiry heights, by agent address.</summary>
    public static IReadOnlyList<(Address Agent, ulong ExpiryHeight)> ReadAgents(IStateReader reader, Address account) =>
        reader.IteratePrefix(MarketsKeys.AgentsOf(account)).Select(kv => (MarketsKeys.AgentOf(kv.Key), BinaryPrimitives.ReadUInt64BigEndian(kv.Value))).ToList();

    /// <summary>Authorizes (or with 0 revokes) an agent key of the account.</summary>
    public void SetAgent(Address account, Address agent, ulong expiryHeight)
    {
        if (expiryHeight == 0)
        {
            state.Delete(MarketsKeys.Agent(account, agent));
            return;
        }
        var value = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, expiryHeight);
        state.Set(MarketsKeys.Agent(account, agent), value);
    }

    /// <summary>Queues a market operation for the block's end (its transaction already reserved PreLocked).</summary>
    public void Enqueue(Address sender, Core.Transactions.TxPayload payload, string preLockedAsset, UInt128 preLocked)
    {
        var index = state.Get(MarketsKeys.QueueNext) is { } v ? BinaryPrimitives.ReadUInt64BigEndian(v) : 0;
        var operation = new QueuedOperation(index, sender, payload, preLockedAsset, preLocked);
        state.Set(MarketsKeys.QueuedOperation(index), operation);
        var next = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(next, index + 1);
        state.Set(MarketsKeys.QueueNext, next);
    }

    /// <summary>
    /// The block's queued operations in block order: the ones this block's transactions queued come
    /// back as written (<see cref="StateOverlay.ReadDecoded"/>), neither encoded nor decoded. They
    /// are read by index, not by a prefix scan (which would encode each one to hand out its bytes):
    /// indexes run from 0 to the queue's next index without a gap, as only <see cref="Enqueue"/>
    /// adds (a failed transaction's addition goes with its overlay) and the block's end clears them all.
    /// </summary>
    public static IReadOnlyList<QueuedOperation> ReadQueue(IStateReader reader)
    {
        var next = reader.Get(MarketsKeys.QueueNext) is { } v ? BinaryPrimitives.ReadUInt64BigEndian(v) : 0;
        var operations = new List<QueuedOperation>(checked((int)next));
        for (ulong index = 0; index < next; index++)
            operations.Add(StateOverlay.ReadDecoded(reader, MarketsKeys.QueuedOperation(index), QueuedOperation.Decode)
                ?? throw new InvalidOperationException($"queued market operation {index} of {next} is missing"));
        return operations;
    }

    public void ClearQueue(IEnumerable<QueuedOperation> operations)
    {
        foreach (var op in operations) state.Delete(MarketsKeys.QueuedOperation(op.Index));
        state.Delete(MarketsKeys.QueueNext);
    }

    private void AddLocked(Address account, string asset, UInt128 amount, bool add)
    {
        var key = MarketsKeys.Locked(account, asset);
        var totalKey = MarketsKeys.TotalLocked(asset);
        WriteU128(key, add ? Amount.Add(ReadU128(state, key), amount) : Amount.Subtract(ReadU128(state, key), amount));
        WriteU128(totalKey, add ? Amount.Add(ReadU128(state, totalKey), amount) : Amount.Subtract(ReadU128(state, totalKey), amount));
    }

    private static UInt128 ReadU128(IStateReader reader, byte[] key) => StateAmounts.Read(reader, key);

    private void WriteU128(byte[] key, UInt128 value) => StateAmounts.WriteOrDelete(state, key, value);
}
