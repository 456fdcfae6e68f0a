using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using ExCraft.Rpc.MarketData;
using ExCraft.Node;
using static ExCraft.Integration.Tests.MarketTrading;

namespace ExCraft.Integration.Tests;

/// <summary>
/// The market-data index keeps each market's book from the committed order events after reading
/// the open orders once (docs/market-data.md "The book"). On the dev chain in process, a seeded
/// random stream of places (good-till-cancel, immediate-or-cancel, post-only), cancels and amends
/// from four accounts: after every block the index's levels equal the depth read from state, and
/// an index rebuilt from the stored blocks agrees at the end.
/// </summary>
public sealed class MarketDataBookTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "excraft-mdbook-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void The_index_book_equals_the_state_depth_after_every_block_of_a_random_order_stream()
    {
        using var dev = InProcessDevChain.Open(_directory);
        var (chain, ingress, producer) = (dev.Chain, dev.Ingress, dev.Producer);
        var index = MarketDataIndex.Open(chain);

        var random = new Random(20261127);
        var nonces = new ulong[4];
        var time = chain.Head.TimeMs;
        var deepest = 0;
        for (var block = 0; block < 80; block++)
        {
            for (var k = random.Next(1, 13); k > 0; k--)
            {
                var account = random.Next(4);
                var payload = NextOperation(random, MarketsModule.Queries(chain.State).OpenOrders(Wallet.Dev(account).Address));
                var submitted = ingress.Submit(Transaction.Create(Wallet.DevChainId, nonces[account]++, Wallet.Fee, payload, Wallet.Dev(account)).Encoded);
                Assert.True(submitted.Reason is null, submitted.Error);
            }
            producer.ProduceBlock(time += 100);

            var expected = MarketsModule.Queries(chain.State);
            var book = index.Book(Market);
            Assert.Equal(expected.Depth("ORE", "EXT", Side.Buy, int.MaxValue), book.Bids);
            Assert.Equal(expected.Depth("ORE", "EXT", Side.Sell, int.MaxValue), book.Asks);
            deepest = Math.Max(deepest, book.Bids.Count + book.Asks.Count);
        }
        Assert.True(deepest >= 5, $"the stream should build a book of several levels (deepest {deepest})");

        var rebuilt = MarketDataIndex.Open(chain).Book(Market);
        var live = index.Book(Market);
        Assert.Equal((live.Sequence, live.Checksum), (rebuilt.Sequence, rebuilt.Checksum));
        Assert.Equal(live.Bids, rebuilt.Bids);
        Assert.Equal(live.Asks, rebuilt.Asks);
    }

    /// <summary>A place (half the time), else a cancel or an amend of one of the account's open orders when it has one.</summary>
    private static TxPayload NextOperation(Random random, IReadOnlyList<MarketOrderView> open)
    {
        var price = Amount.Parse("1") + (UInt128)random.Next(0, 11) * Amount.Parse("0.01");
        var size = Ore * (UInt128)random.Next(1, 4) / 2;
        var roll = random.Next(10);
        if (open.Count > 0 && roll >= 7) return new CancelOrderPayload("ORE", "EXT", open[random.Next(open.Count)].Order.Id, 0);
        if (open.Count > 0 && roll >= 5) return new AmendOrderPayload("ORE", "EXT", open[random.Next(open.Count)].Order.Id, price, size);
        byte[] timesInForce = [0, 0, 0, 1, 3]; // good-till-cancel mostly, immediate-or-cancel, post-only
        return Limit(random.Next(2) == 0, price, size, timesInForce[random.Next(timesInForce.Length)]);
    }
}
