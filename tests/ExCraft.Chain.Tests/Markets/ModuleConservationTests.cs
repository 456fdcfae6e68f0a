using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>
/// Random order streams through the module on a real chain (places of every type, amends, cancels
/// by id and client id, cancel-all, in random blocks): after every block, for GOLD and USD, balances +
/// locked + fee pool equal the supply, the per-account locks add up to the total, and the open
/// orders' locks add up to it too (nothing is held for an order that is gone).
/// </summary>
public sealed class ModuleConservationTests
{
    private static readonly UInt128 UsdUnit = Amount.FromWhole(1, 6);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Balances_locks_and_fee_pools_add_up_to_the_supply_after_every_block(int seed)
    {
        using var k = new ModuleTestKit();
        var random = new Random(seed);
        var nonces = new ulong[4];
        for (var block = 0; block < 40; block++)
        {
            var count = random.Next(1, 7);
            for (var i = 0; i < count; i++)
            {
                var from = random.Next(4);
                var tx = k.Chain.Sign(from, RandomOperation(random, k, from), nonces[from]);
                if (k.Chain.Submit(tx).Accepted) nonces[from]++;
            }
            k.Chain.ProduceBlock();
            AssertConserved(k);
        }
        var trades = k.Queries.Trades(Gold, Usd, 1, 1000).Count;
        Assert.True(trades > 5, $"the stream should trade (got {trades} trades)");
    }

    private static TxPayload RandomOperation(Random random, ModuleTestKit k, int from)
    {
        var open = k.Queries.OpenOrders(Accounts[from]);
        var roll = random.Next(100);
        if (roll < 12 && open.Count > 0) return new CancelOrderPayload(Gold, Usd, open[random.Next(open.Count)].Order.Id, 0);
        if (roll < 16 && open.Count > 0 && open.FirstOrDefault(o => o.Order.ClientOrderId != 0) is { } withClientId)
            return new CancelOrderPayload(Gold, Usd, 0, withClientId.Order.ClientOrderId);
        if (roll < 19) return random.Next(2) == 0 ? new CancelAllPayload(Gold, Usd) : new CancelAllPayload("", "");
        var buy = random.Next(2) == 0;
        var price = (UInt128)random.Next(5, 40) * 100_000; // 0.5 to 4 USD a GOLD, on tick
        var size = (UInt128)random.Next(20, 800) * 10_000; // 0.2 to 8 GOLD, on lot
        if (roll < 27 && open.Count > 0) return new AmendOrderPayload(Gold, Usd, open[random.Next(open.Count)].Order.Id, price, size);
        var clientId = random.Next(3) == 0 ? (ulong)random.Next(1, 1000) : 0;
        return random.Next(10) switch
        {
            0 => new PlaceOrderPayload(Gold, Usd, (byte)(buy ? 0 : 1), 1, 1, price, size, 0, clientId, 0, (byte)random.Next(3)), // market, worst price
            1 => new PlaceOrderPayload(Gold, Usd, 0, 1, 1, 0, 0, (UInt128)random.Next(1, 20) * UsdUnit, clientId, 0, 0), // budget buy
            2 => Limit(Usd, buy, price, size, timeInForce: 3, clientId: clientId), // post-only
            3 => Limit(Usd, buy, price, size, timeInForce: 2, clientId: clientId), // fill-or-kill
            4 => Limit(Usd, buy, price, size, timeInForce: 1, clientId: clientId), // immediate-or-cancel
            5 => Limit(Usd, buy, price, size, clientId: clientId, expiry: k.Chain.Chain.Head.Height + (ulong)random.Next(2, 6)),
            _ => new PlaceOrderPayload(Gold, Usd, (byte)(buy ? 0 : 1), 0, 0, price, size, 0, clientId, 0, (byte)random.Next(3)),
        };
    }

    private static void AssertConserved(ModuleTestKit k)
    {
        var state = k.Chain.Chain.State;
        Assert.Empty(MarketsState.ReadQueue(state)); // the end-block hook emptied the queue
        var orders = Accounts.SelectMany(a => MarketsState.ReadOrdersOf(state, a)).ToList();
        foreach (var asset in new[] { Gold, Usd })
        {
            var supply = AccountState.ReadAsset(state, asset)!.Supply;
            var balances = Accounts.Aggregate(UInt128.Zero, (sum, a) => sum + AccountState.ReadBalance(state, a, asset));
            var locked = MarketsState.ReadTotalLocked(state, asset);
            var fees = MarketsState.ReadFeePool(state, asset);
            Assert.Equal(supply, balances + locked + fees);
            Assert.Equal(locked, Accounts.Aggregate(UInt128.Zero, (sum, a) => sum + MarketsState.ReadLocked(state, a, asset)));
            var inOrders = orders.Where(o => (o.Order.Side == Modules.Markets.Matching.Side.Buy ? o.Quote : o.Base) == asset)
                .Aggregate(UInt128.Zero, (sum, o) => sum + o.Order.Locked);
            Assert.Equal(locked, inOrders);
        }
    }
}
