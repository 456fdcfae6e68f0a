using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>
/// Random order streams through the module on a real chain (places of every type, with expiry
/// heights and block times, amends, cancels by id and client id, cancel-all, batches of these, and
/// a quarter of it sent by each account's agent key, in random blocks): after every block, for GOLD and USD, balances +
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
        RunStream(k, seed, afterEachBlock: AssertConserved);
    }

    /// <summary>
    /// Consensus pin: the stream of seed 1 ends at this app hash on every build. Settlement, key
    /// layout, event text and hook order all feed it, so a change that moves it changes consensus;
    /// the pin moves only on purpose, with the reason in the commit.
    /// </summary>
    [Fact]
    public void The_stream_of_seed_1_ends_at_the_pinned_app_hash()
    {
        using var k = new ModuleTestKit();
        RunStream(k, 1, afterEachBlock: _ => { });
        Assert.Equal(PinnedAppHash, Core.Encoding.Hex.Encode(k.Chain.Chain.Head.AppHash));
    }

    private const string PinnedAppHash = "0x487ce4518e408e9eefd5797a224685968a2fdd277a29a75c0cc732cb6c2cf7b1";

    private static void RunStream(ModuleTestKit k, int seed, Action<ModuleTestKit> afterEachBlock)
    {
        var random = new Random(seed);
        var nonces = new ulong[4];
        // Account i's agent is account i + 1 (mod 4).
        for (var i = 0; i < 4; i++) Assert.True(k.Chain.Submit(k.Chain.Sign(i, new AuthorizeAgentPayload(Accounts[(i + 1) % 4], 10_000), nonces[i]++)).Accepted);
        k.Chain.ProduceBlock();
        var kinds = new Dictionary<string, TxKind>();
        var succeeded = new List<TxKind>();
        var expiredByTime = 0;
        for (var block = 0; block < 40; block++)
        {
            var count = random.Next(1, 7);
            for (var i = 0; i < count; i++)
            {
                var owner = random.Next(4);
                var operation = random.Next(8) == 0 ? RandomBatch(random, k, owner) : RandomOperation(random, k, owner);
                var (from, payload) = random.Next(4) == 0 ? ((owner + 1) % 4, new AgentActionPayload(Accounts[owner], operation)) : (owner, operation);
                var tx = k.Chain.Sign(from, payload, nonces[from]);
                if (!k.Chain.Submit(tx).Accepted) continue;
                nonces[from]++;
                kinds[Core.Encoding.Hex.Encode(tx.Hash)] = payload is AgentActionPayload agent ? agent.Action.Kind == TxKind.BatchOrders ? TxKind.BatchOrders : TxKind.AgentAction : payload.Kind;
            }
            var receipts = k.Chain.ProduceBlock().Receipts;
            succeeded.AddRange(receipts.Where(r => r.Success).Select(r => kinds[Core.Encoding.Hex.Encode(r.TransactionHash)]));
            expiredByTime += k.Chain.Chain.GetBlockEvents(k.Chain.Chain.Head.Height).Count(e => e.Get("reason") == "expired_at_time");
            afterEachBlock(k);
        }
        var trades = k.Queries.Trades(Gold, Usd, 1, 1000).Count;
        Assert.True(trades > 5, $"the stream should trade (got {trades} trades)");
        // The stream really went through batches, agents and time expiries.
        Assert.Contains(TxKind.BatchOrders, succeeded);
        Assert.Contains(TxKind.AgentAction, succeeded);
        Assert.True(expiredByTime > 0, "some order should expire by block time");
    }

    /// <summary>Two to four places, cancels by id and amends; a batch the mempool refuses (an order changed twice) is simply not sent.</summary>
    private static TxPayload RandomBatch(Random random, ModuleTestKit k, int from)
    {
        var items = new List<TxPayload>();
        var wanted = random.Next(2, 5);
        for (var tries = 0; items.Count < wanted && tries < 20; tries++)
        {
            if (RandomOperation(random, k, from) is var item && BatchOrdersPayload.IsItemKind(item.Kind)) items.Add(item);
        }
        return new BatchOrdersPayload(items);
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
            6 => Limit(Usd, buy, price, size, clientId: clientId, expiryTimeMs: k.Chain.Chain.Head.TimeMs + (ulong)random.Next(150, 550)),
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
