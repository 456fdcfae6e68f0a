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
/// The epoch-end fee buyback and burn (SPEC 7). For each fee pool, in symbol order:
/// - EXT: BurnPpm of it (rounded up) is burned (the EXT supply drops), the rest goes to the
///   operations address (the markets authority).
/// - another asset A with an A/EXT market that has traded: BurnPpm of the pool (rounded up, then
///   down to whole lots) is sold by the protocol's buyback account as a market order no worse
///   than the last trade price minus SlippagePpm; the EXT it receives is burned; the rest of the
///   pool goes to operations; what the order could not sell stays in the pool for the next epoch.
/// - any other asset (no A/EXT market, or no trade yet to bound the slippage) stays in its pool.
/// Each pool handled gives a record under its epoch and a market_fee_burn event.
/// </summary>
public static class FeeBurn
{
    /// <summary>The share of each pool that buys back and burns; the floor is 80%, and it is fixed at the floor until governance parameters exist.</summary>
    public const uint BurnPpm = 800_000;

    /// <summary>How far below the last trade price the protocol's sell may go.</summary>
    public const uint SlippagePpm = 50_000;

    /// <summary>The protocol's buyback account: no key can sign for it (a hash, not a public key's address).</summary>
    public static readonly Address BuybackAccount = new(Keccak256.Hash("excraft/markets/buyback"u8)[..Address.Length]);

    public static void Run(BlockHookContext context)
    {
        var state = context.State;
        var markets = new MarketsState(state);
        var accounts = new AccountState(state);
        var operations = MarketsState.ReadAuthority(state);
        var epoch = context.Block.Epoch;
        if (operations == Address.Zero) return; // no operations address: every pool waits
        foreach (var (asset, pool) in MarketsState.ReadFeePools(state))
        {
            var target = Share(pool);
            FeeBurnRecord? record = null;
            if (asset == AssetSymbol.Native)
            {
                markets.TakeFee(asset, pool);
                accounts.Burn(asset, target);
                accounts.Credit(operations, asset, pool - target);
                record = new FeeBurnRecord(epoch, asset, pool, target, target, pool - target, 0);
            }
            else if (markets.GetMarket(asset, AssetSymbol.Native) is { Definition.Halted: false } market && market.LastTradePrice != 0)
            {
                var size = target / market.Definition.LotSize * market.Definition.LotSize;
                var worst = WorstPrice(market);
                markets.TakeFee(asset, pool);
                accounts.Credit(operations, asset, pool - target);
                accounts.Credit(BuybackAccount, asset, target);
                var exchange = new MarketExchange(state, context.Block.Height, context.Emit);
                if (size > 0 && worst > 0)
                    exchange.Apply(new QueuedOperation(0, BuybackAccount, new PlaceOrderPayload(asset, AssetSymbol.Native, 1, 1, 1, worst, size, 0, 0, 0, 0), "", 0));
                exchange.Save();
                var bought = accounts.GetBalance(BuybackAccount, AssetSymbol.Native);
                accounts.Burn(AssetSymbol.Native, bought, BuybackAccount);
                var unsold = accounts.GetBalance(BuybackAccount, asset);
                accounts.Debit(BuybackAccount, asset, unsold);
                markets.AddFee(asset, unsold);
                record = new FeeBurnRecord(epoch, asset, pool, target - unsold, bought, pool - target, unsold);
            }
            if (record is null) continue;
            markets.PutFeeBurn(record);
            context.Emit(ChainEvent.Of(MarketsModule.Events.FeeBurn, ("epoch", epoch.ToString()), ("asset", asset), ("collected", ChainEvent.Units(record.Collected)),
                ("spent", ChainEvent.Units(record.Spent)), ("burned", ChainEvent.Units(record.Burned)), ("toOperations", ChainEvent.Units(record.ToOperations)),
                ("kept", ChainEvent.Units(record.Kept))));
        }
    }

    private static UInt128 Share(UInt128 pool) => QuoteMath.Fee(pool, BurnPpm); // ceil(pool * ppm / 10^6): at least the share

    private static UInt128 WorstPrice(MarketRecord market)
    {
        var floor = QuoteMath.MulDiv(market.LastTradePrice, MarketRules.PpmDenominator - SlippagePpm, MarketRules.PpmDenominator);
        var tick = market.Definition.TickSize;
        return (floor + tick - 1) / tick * tick; // up to the tick: never below the slippage bound
    }

}
