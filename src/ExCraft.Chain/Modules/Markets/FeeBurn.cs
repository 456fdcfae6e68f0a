using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>What the epoch-end buyback did with one fee asset: the pool it found, what went to buy EXT (spent), the EXT burned, what went to operations, and what stayed in the pool.</summary>
public sealed record FeeBurnRecord(ulong Epoch, string Asset, UInt128 Collected, UInt128 Spent, UInt128 Burned, UInt128 ToOperations, UInt128 Kept)
{
    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Epoch), Rlp.EncodeString(Asset), Rlp.EncodeUInt(Collected), Rlp.EncodeUInt(Spent),
        Rlp.EncodeUInt(Burned), Rlp.EncodeUInt(ToOperations), Rlp.EncodeUInt(Kept));

    public static FeeBurnRecord Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(7, "fee burn");
        return new FeeBurnRecord(f[0].AsUInt64(), f[1].AsUtf8(), f[2].AsUInt128(), f[3].AsUInt128(), f[4].AsUInt128(), f[5].AsUInt128(), f[6].AsUInt128());
    }
}

/// <summary>
/// The epoch-end fee buyback and burn (SPEC 7). The burn share and the slippage are chain
/// parameters (<see cref="MarketParams"/>: genesis and set_market_params; the share never below
/// 80%). For each fee pool, in symbol order:
/// - EXT: the burn share of it (rounded up) is burned (the EXT supply drops), the rest goes to the
///   operations address (the markets authority).
/// - another asset A with an A/EXT market that has traded (EXT is quote): the burn share of the
///   pool (rounded up, then down to whole lots) is sold by the protocol's buyback account as a
///   market order no worse than the last trade price minus the slippage.
/// - else, A with an EXT/A market that has traded (EXT is base): the burn share of the pool is spent
///   by the buyback account on a market buy of EXT, at most the last trade price plus the slippage,
///   for the whole lots that share affords at that bound.
/// When both markets exist the A/EXT one wins (the one the buyback used before EXT-base markets
/// were handled, so chains that have it keep their records). The EXT bought is burned; the rest of
/// the pool goes to operations; what the order could not sell (or spend) stays in the pool for the
/// next epoch. Any other asset (no market, halted, or no trade yet to bound the slippage) stays in
/// its pool. Each pool handled gives a record under its epoch and a market_fee_burn event.
/// </summary>
public static class FeeBurn
{
    /// <summary>The protocol's buyback account: no key can sign for it (a hash, not a public key's address).</summary>
    public static readonly Address BuybackAccount = new(Keccak256.Hash("excraft/markets/buyback"u8)[..Address.Length]);

    public static void Run(BlockHookContext context)
    {
        var state = context.State;
        var markets = new MarketsState(state);
        var accounts = new AccountState(state);
        var operations = MarketsState.ReadAuthority(state);
        var parameters = MarketParams.Read(state);
        var epoch = context.Block.Epoch;
        if (operations == Address.Zero) return; // no operations address: every pool waits
        foreach (var (asset, pool) in MarketsState.ReadFeePools(state))
        {
            var target = QuoteMath.Fee(pool, parameters.FeeBurnPpm); // ceil(pool * ppm / 10^6): at least the share
            FeeBurnRecord? record = null;
            if (asset == AssetSymbol.Native)
            {
                markets.TakeFee(asset, pool);
                accounts.Burn(asset, target);
                accounts.Credit(operations, asset, pool - target);
                record = new FeeBurnRecord(epoch, asset, pool, target, target, pool - target, 0);
            }
            else if (BuybackOrder(markets, asset, target, parameters.BuybackSlippagePpm) is { } order)
            {
                markets.TakeFee(asset, pool);
                accounts.Credit(operations, asset, pool - target);
                accounts.Credit(BuybackAccount, asset, target);
                var exchange = new MarketExchange(state, context.Block.Height, context.Emit);
                if (order.Size > 0 && order.Price > 0) exchange.Apply(new QueuedOperation(0, BuybackAccount, order, "", 0));
                exchange.Save();
                var bought = accounts.GetBalance(BuybackAccount, AssetSymbol.Native);
                accounts.Burn(AssetSymbol.Native, bought, BuybackAccount);
                var unspent = accounts.GetBalance(BuybackAccount, asset);
                accounts.Debit(BuybackAccount, asset, unspent);
                markets.AddFee(asset, unspent);
                record = new FeeBurnRecord(epoch, asset, pool, target - unspent, bought, pool - target, unspent);
            }
            if (record is null) continue;
            markets.PutFeeBurn(record);
            context.Emit(ChainEvent.Of(MarketsModule.Events.FeeBurn, ("epoch", epoch.ToString()), ("asset", asset), ("collected", ChainEvent.Units(record.Collected)),
                ("spent", ChainEvent.Units(record.Spent)), ("burned", ChainEvent.Units(record.Burned)), ("toOperations", ChainEvent.Units(record.ToOperations)),
                ("kept", ChainEvent.Units(record.Kept))));
        }
    }

    /// <summary>
    /// The immediate-or-cancel market order that turns <paramref name="budget"/> of the asset into EXT:
    /// a sell on ASSET/EXT, else a buy on EXT/ASSET; null when neither market is active and has traded.
    /// Size 0 or price 0 (budget below one lot, or a bound that rounds to 0) places nothing.
    /// </summary>
    private static PlaceOrderPayload? BuybackOrder(MarketsState markets, string asset, UInt128 budget, uint slippagePpm)
    {
        if (markets.GetMarket(asset, AssetSymbol.Native) is { Definition.Halted: false } sellMarket && sellMarket.LastTradePrice != 0)
        {
            var lot = sellMarket.Definition.LotSize;
            return new PlaceOrderPayload(asset, AssetSymbol.Native, (byte)Side.Sell, (byte)OrderType.Market, (byte)TimeInForce.ImmediateOrCancel,
                SellBound(sellMarket, slippagePpm), budget / lot * lot, 0, 0, 0, 0);
        }
        if (markets.GetMarket(AssetSymbol.Native, asset) is { Definition.Halted: false } buyMarket && buyMarket.LastTradePrice != 0)
        {
            var bound = BuyBound(buyMarket, slippagePpm);
            var lots = bound == 0 ? 0 : QuoteMath.AffordableLots(budget, bound, buyMarket.Definition.LotSize, buyMarket.Rules.PriceScale);
            return new PlaceOrderPayload(AssetSymbol.Native, asset, (byte)Side.Buy, (byte)OrderType.Market, (byte)TimeInForce.ImmediateOrCancel,
                bound, lots * buyMarket.Definition.LotSize, 0, 0, 0, 0);
        }
        return null;
    }

    /// <summary>The lowest price the sell accepts: last price less the slippage, up to the tick (never below the bound).</summary>
    private static UInt128 SellBound(MarketRecord market, uint slippagePpm)
    {
        var floor = QuoteMath.MulDiv(market.LastTradePrice, MarketRules.PpmDenominator - slippagePpm, MarketRules.PpmDenominator);
        var tick = market.Definition.TickSize;
        return (floor + tick - 1) / tick * tick;
    }

    /// <summary>The highest price the buy pays: last price plus the slippage, down to the tick (never above the bound).</summary>
    private static UInt128 BuyBound(MarketRecord market, uint slippagePpm)
    {
        var ceiling = QuoteMath.MulDiv(market.LastTradePrice, MarketRules.PpmDenominator + slippagePpm, MarketRules.PpmDenominator);
        var tick = market.Definition.TickSize;
        return ceiling / tick * tick;
    }
}
