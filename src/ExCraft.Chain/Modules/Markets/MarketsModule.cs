using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets.Handlers;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>
/// The on-chain order books (kinds 20-39, key prefix 0x03, docs/markets.md). Markets come from
/// genesis and from the governance authority's list/update/halt transactions. Order transactions
/// are checked and their funds reserved when they execute, then queued; the end-block hook applies
/// the block's queue in the documented order (cancels, then post-only places, then the rest, each in
/// block order), runs the batch auctions, and writes orders back under price-time keys. The
/// begin-block hook cancels orders whose expiry height has come.
/// </summary>
public sealed class MarketsModule : ChainModule
{
    public const string ModuleName = "markets";

    /// <summary>Event types of the markets module.</summary>
    public static class Events
    {
        /// <summary>An order transaction was accepted and its funds reserved; it is matched at the block's end.</summary>
        public const string OrderQueued = "market_order_queued";
        /// <summary>Every change of an order (accepted, rested, partially filled, filled, cancelled, rejected) with its reason and fund movements.</summary>
        public const string Order = "market_order";
        public const string Trade = "market_trade";
        public const string Listed = "market_listed";
        public const string Updated = "market_updated";
        /// <summary>The epoch-end buyback and burn of one fee asset (docs/markets.md, "Fee buyback and burn").</summary>
        public const string FeeBurn = "market_fee_burn";
        /// <summary>A dead-man's switch was set, moved or (height 0) switched off.</summary>
        public const string DeadlineSet = "market_deadline_set";
        /// <summary>A dead-man's switch came due; the account's cancellations follow as market_order events.</summary>
        public const string DeadlineFired = "market_deadline_fired";
        public const string AgentAuthorized = "market_agent_authorized";
        public const string AgentRevoked = "market_agent_revoked";
        /// <summary>The governance authority changed the buyback parameters (set_market_params).</summary>
        public const string ParamsSet = "market_params_set";
    }

    public override string Name => ModuleName;

    public override byte[] KeyPrefix => MarketsKeys.Prefix;

    public override IReadOnlyList<ITxHandler> Handlers { get; } =
    [
        new PlaceOrderHandler(), new CancelOrderHandler(), new CancelAllHandler(), new AmendOrderHandler(), new SetCancelDeadlineHandler(),
        new BatchOrdersHandler(), new AuthorizeAgentHandler(), new RevokeAgentHandler(), new AgentActionHandler(),
        new ListMarketHandler(), new UpdateMarketHandler(), new HaltMarketHandler(),
        new SetMarketParamsHandler(),
    ];

    public override IReadOnlyList<string> EventTypes { get; } = [Events.OrderQueued, Events.Order, Events.Trade, Events.Listed, Events.Updated, Events.ParamsSet, Events.DeadlineSet, Events.DeadlineFired, Events.FeeBurn, Events.AgentAuthorized, Events.AgentRevoked];

    public static MarketsQueries Queries(IStateReader state) => new(state);

    public override void InitGenesis(GenesisConfig genesis, StateOverlay state)
    {
        var markets = new MarketsState(state);
        if (genesis.Markets.Authority != Address.Zero) markets.SetAuthority(genesis.Markets.Authority);
        MarketParams.Write(state, genesis.Markets.Parameters);
        var accounts = new AccountState(state);
        foreach (var market in genesis.Markets.Markets) List(markets, accounts, market);
    }

    /// <summary>Lists a market (genesis or list_market): both assets must exist; the price scale is 10^(base decimals).</summary>
    public static MarketRecord List(MarketsState markets, AccountState accounts, MarketDefinition definition)
    {
        if (markets.GetMarket(definition.Base, definition.Quote) is not null) throw new TransactionFailedException($"market {definition.Pair} is already listed");
        var baseAsset = accounts.GetAsset(definition.Base) ?? throw new TransactionFailedException($"market {definition.Pair}: unknown asset {definition.Base}");
        if (accounts.GetAsset(definition.Quote) is null) throw new TransactionFailedException($"market {definition.Pair}: unknown asset {definition.Quote}");
        var record = MarketRecord.Listed(definition, Amount.Pow10(baseAsset.Decimals));
        record.Rules.Validate();
        markets.PutMarket(record);
        return record;
    }

    /// <summary>
    /// Before the block's transactions: fires the dead-man's switches that are due (cancel all of
    /// the account's orders, then the switch is off), then cancels orders whose expiry height has
    /// come, then those whose expiry block time (the header's) has come.
    /// </summary>
    public override void BeginBlock(BlockHookContext context)
    {
        var height = context.Block.Height;
        var deadlines = MarketsState.ReadDueDeadlines(context.State, height);
        var due = context.State.IteratePrefix(MarketsKeys.AllExpiries).Select(kv => MarketsKeys.ParseExpiry(kv.Key))
            .TakeWhile(e => e.Height <= height).Select(e => (e.Base, e.Quote)).Distinct().ToList();
        var dueByTime = MarketExchange.AnyDueByTime(context.State, context.Block.TimeMs);
        if (due.Count == 0 && deadlines.Count == 0 && !dueByTime) return;
        var exchange = new MarketExchange(context.State, height, context.Emit);
        var markets = new MarketsState(context.State);
        foreach (var account in deadlines)
        {
            context.Emit(ChainEvent.Of(Events.DeadlineFired, ("account", account.ToString()), ("height", height.ToString())));
            exchange.Apply(new QueuedOperation(0, account, new CancelAllPayload("", ""), "", 0));
            markets.SetDeadline(account, 0);
        }
        foreach (var (b, q) in due) exchange.Expire(b, q);
        // Then by block time: the header's time (every node the same), never the clock.
        if (dueByTime) exchange.ExpireByTime(context.Block.TimeMs);
        exchange.Save();
    }

    /// <summary>The epoch's fee buyback and burn (SPEC 7), after every module's end-block, so this block's fills are in the pools.</summary>
    public override void EpochEnd(BlockHookContext context) => Markets.FeeBurn.Run(context);

    /// <summary>Applies the block's queued operations in the documented order, then the batch auctions.</summary>
    public override void EndBlock(BlockHookContext context)
    {
        var queue = MarketsState.ReadQueue(context.State);
        if (queue.Count == 0) return;
        var exchange = new MarketExchange(context.State, context.Block.Height, context.Emit);
        foreach (var op in BlockOrdering.Order(queue, o => o.Class)) exchange.Apply(op);
        exchange.RunAuctions();
        exchange.Save();
        new MarketsState(context.State).ClearQueue(queue);
    }
}
