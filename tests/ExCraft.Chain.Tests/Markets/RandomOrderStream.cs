using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>One step of a random order stream.</summary>
internal abstract record StreamOp
{
    public sealed record Place(OrderRequest Request) : StreamOp;
    public sealed record Cancel(Address Account, ulong OrderId) : StreamOp;
    public sealed record CancelByClientId(Address Account, ulong ClientOrderId) : StreamOp;
    public sealed record CancelAll(Address Account) : StreamOp;
    public sealed record Amend(Address Account, ulong OrderId, UInt128 Price, UInt128 Size) : StreamOp;
    /// <summary>A new block: height moves on and the expiry hook runs.</summary>
    public sealed record NextBlock : StreamOp;
}

/// <summary>
/// Seeded random streams of places, cancels and amends around a mid price, with a few accounts
/// (so self-trades happen), a few client ids (so duplicates happen), some off-tick and off-lot
/// inputs and some orders aimed at ids that do not exist or belong to someone else.
/// </summary>
internal static class RandomOrderStream
{
    public static readonly Address[] Accounts = [MarketTestKit.Alice, MarketTestKit.Bob, MarketTestKit.Carol, MarketTestKit.AccountNumber(4)];

    public static MarketRules RulesFor(int seed)
    {
        var random = new Random(seed ^ 0x5EED);
        return (seed % 3) switch
        {
            0 => new MarketRules(1, 1, 1, 1, (uint)random.Next(0, 3_000), (uint)random.Next(0, 5_000)),
            // Price per 150 base units: one lot at ~100 is worth 0.67 quote, rounded to 0; two lots 1.33 -> 1.
            1 => new MarketRules(1, 1, 150, 1, (uint)random.Next(0, 3_000), (uint)random.Next(0, 5_000)),
            _ => new MarketRules(2, 3, 50, 20, (uint)random.Next(0, 3_000), (uint)random.Next(0, 5_000)),
        };
    }

    public static List<StreamOp> Generate(int seed, MarketRules rules, int length)
    {
        var random = new Random(seed);
        var ops = new List<StreamOp>(length);
        ulong issuedUpTo = 0; // upper bound of ids the engine may have given (for aiming cancels and amends)
        ulong height = 1;
        const int midTicks = 100;
        for (var i = 0; i < length; i++)
        {
            var account = Accounts[random.Next(Accounts.Length)];
            var side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
            // Buyers lean below mid, sellers above, with overlap so books cross often.
            var ticks = midTicks + (side == Side.Buy ? -random.Next(-3, 8) : random.Next(-3, 8));
            var price = (UInt128)ticks * rules.TickSize + (random.Next(40) == 0 ? 1u : 0u);
            var size = (UInt128)random.Next(1, 13) * rules.LotSize + (random.Next(40) == 0 ? 1u : 0u);
            var clientId = random.Next(4) == 0 ? (ulong)random.Next(1, 6) : 0;
            var expiry = random.Next(6) == 0 ? height + (ulong)random.Next(0, 4) : 0;
            var stp = (SelfTradePrevention)random.Next(3);
            var target = (ulong)random.Next(1, (int)issuedUpTo + 3);
            var roll = random.Next(100);
            StreamOp op = roll switch
            {
                < 35 => new StreamOp.Place(OrderRequest.Limit(account, side, price, size, TimeInForce.GoodTillCancel, clientId, expiry, stp)),
                < 44 => new StreamOp.Place(OrderRequest.Limit(account, side, price, size, TimeInForce.ImmediateOrCancel, clientId, 0, stp)),
                < 49 => new StreamOp.Place(OrderRequest.Limit(account, side, price, size * 2, TimeInForce.FillOrKill, clientId, 0, stp)),
                < 58 => new StreamOp.Place(OrderRequest.Limit(account, side, price, size, TimeInForce.PostOnly, clientId, expiry, stp)),
                < 62 => new StreamOp.Place(OrderRequest.Market(account, side, size * 2, side == Side.Buy ? price + 4 * rules.TickSize : rules.TickSize, clientId, stp)),
                < 66 => new StreamOp.Place(OrderRequest.MarketBuyWithBudget(account, (UInt128)random.Next(1, 60) * rules.TickSize * rules.LotSize * 100 / rules.PriceScale + 1, clientId, stp)),
                < 76 => new StreamOp.Cancel(random.Next(5) == 0 ? account : Accounts[(int)(target % (ulong)Accounts.Length)], target),
                < 79 => new StreamOp.CancelByClientId(account, (ulong)random.Next(0, 6)),
                < 81 => new StreamOp.CancelAll(account),
                < 94 => new StreamOp.Amend(Accounts[(int)(target % (ulong)Accounts.Length)], target, price, size),
                _ => new StreamOp.NextBlock(),
            };
            if (op is StreamOp.Place) issuedUpTo++;
            if (op is StreamOp.NextBlock) height++;
            ops.Add(op);
        }
        return ops;
    }
}
