using ExCraft.Chain.Modules.Markets;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>
/// The shortcuts taken for speed (docs/BENCHMARKS.md, e2e-orders) give the results of the long
/// way: orders issued and closed in one block leave no key behind while resting ones keep all of
/// theirs, the head's block events served from memory equal the stored ones, and the remembered
/// address texts equal the Bech32 encoding.
/// </summary>
public sealed class MarketsFastPathTests : IDisposable
{
    private readonly ModuleTestKit _k = new();
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 GoldUnit = Amount.FromWhole(1, 6);
    private const string EXT = AssetSymbol.Native;
    private const ulong FarHeight = 1_000_000;
    private const ulong FarTimeMs = 10_000_000_000;

    public void Dispose() => _k.Dispose();

    private int KeysUnder(byte[] prefix) => _k.Chain.Chain.State.IteratePrefix(prefix).Count();

    [Fact]
    public void Orders_issued_and_closed_in_one_block_leave_no_keys_and_resting_ones_keep_every_index()
    {
        // One block, both orders issued in it: a sell with both expiries (id 1) rests, a buy with both
        // expiries (id 2) fills half of it at once and is gone.
        _k.Block(
            _k.Sign(1, Limit(EXT, buy: false, 2 * Ext, 10 * GoldUnit, expiry: FarHeight, expiryTimeMs: FarTimeMs)),
            _k.Sign(2, Limit(EXT, buy: true, 2 * Ext, 5 * GoldUnit, expiry: FarHeight, expiryTimeMs: FarTimeMs)));
        var first = _k.Queries.Trades(Gold, EXT, 1, 10);
        Assert.Single(first);

        var resting = MarketsState.ReadOrder(_k.Chain.Chain.State, Gold, EXT, 1);
        Assert.NotNull(resting);
        Assert.Equal(5 * GoldUnit, resting.Value.RemainingSize);
        Assert.Null(MarketsState.ReadOrder(_k.Chain.Chain.State, Gold, EXT, 2));
        Assert.Equal([1ul], MarketsState.ReadOrdersOf(_k.Chain.Chain.State, Accounts[1]).Select(o => o.Order.Id));
        Assert.Empty(MarketsState.ReadOrdersOf(_k.Chain.Chain.State, Accounts[2]));
        Assert.Equal(1, KeysUnder(MarketsKeys.AllExpiries));
        Assert.Equal(1, KeysUnder(MarketsKeys.AllTimeExpiries));

        // Next block: the stored order (id 1) is filled by a new buy (id 3); a new resting buy (id 4) stays.
        _k.Block(
            _k.Sign(2, Limit(EXT, buy: true, 2 * Ext, 5 * GoldUnit)),
            _k.Sign(3, Limit(EXT, buy: true, 1 * Ext, 3 * GoldUnit, expiry: FarHeight, expiryTimeMs: FarTimeMs)));
        Assert.Equal(2, _k.Queries.Trades(Gold, EXT, 1, 10).Count);
        Assert.Null(MarketsState.ReadOrder(_k.Chain.Chain.State, Gold, EXT, 1));
        Assert.Null(MarketsState.ReadOrder(_k.Chain.Chain.State, Gold, EXT, 3));
        Assert.Equal(3 * GoldUnit, MarketsState.ReadOrder(_k.Chain.Chain.State, Gold, EXT, 4)?.RemainingSize);
        Assert.Empty(MarketsState.ReadOrdersOf(_k.Chain.Chain.State, Accounts[1]));
        Assert.Equal([4ul], MarketsState.ReadOrdersOf(_k.Chain.Chain.State, Accounts[3]).Select(o => o.Order.Id));
        Assert.Equal(1, KeysUnder(MarketsKeys.AllExpiries)); // only order 4's
        Assert.Equal(1, KeysUnder(MarketsKeys.AllTimeExpiries));
        Assert.Equal(UInt128.Zero, _k.Locked(1, Gold));
        Assert.Equal(3 * Ext, _k.Locked(3, EXT));

        // Cancelled in a later block: every key of it goes.
        Assert.True(_k.One(3, new CancelOrderPayload(Gold, EXT, 4, 0)).Success);
        Assert.Empty(MarketsState.ReadOrdersOf(_k.Chain.Chain.State, Accounts[3]));
        Assert.Equal(0, KeysUnder(MarketsKeys.AllExpiries));
        Assert.Equal(0, KeysUnder(MarketsKeys.AllTimeExpiries));
        Assert.Equal(UInt128.Zero, _k.Locked(3, EXT));
    }

    [Fact]
    public void The_heads_block_events_served_from_memory_equal_the_stored_ones()
    {
        _k.Block(_k.Sign(1, Limit(EXT, buy: false, 2 * Ext, 10 * GoldUnit)), _k.Sign(2, Limit(EXT, buy: true, 2 * Ext, 4 * GoldUnit)));
        var height = _k.Chain.Chain.Head.Height;
        var live = _k.Chain.Chain.GetBlockEvents(height).Select(e => Hex.Encode(e.Encode())).ToList();
        Assert.Contains(_k.Chain.Chain.GetBlockEvents(height), e => e.Type == MarketsModule.Events.Trade);

        _k.Chain.Reopen(); // a fresh Blockchain: the events come from the store
        var stored = _k.Chain.Chain.GetBlockEvents(height).Select(e => Hex.Encode(e.Encode())).ToList();
        Assert.Equal(stored, live);
        Assert.True(stored.Count >= 5); // 2 accepted, 1 trade, rested, filled/partially filled
    }

    [Fact]
    public void Remembered_address_texts_and_parses_equal_bech32_both_ways_also_past_the_bound()
    {
        for (var i = 0; i < 70_000; i++) // more distinct addresses than the map keeps: it empties and fills again
        {
            var bytes = new byte[20];
            BitConverter.GetBytes(i * 2_654_435_761L).CopyTo(bytes, 0);
            bytes[19] = (byte)i;
            var address = new Address(bytes);
            var expected = address.ToString();
            Assert.Equal(expected, AddressTextCache.TextOf(address));
            Assert.Equal(expected, AddressTextCache.TextOf(address));
            Assert.True(AddressTextCache.TryParse(expected, out var parsed) && parsed == address);
            Assert.True(AddressTextCache.TryParse(expected, out parsed) && parsed == address);
        }
        Assert.Equal(Accounts[0].ToString(), AddressTextCache.TextOf(Accounts[0]));
        var text = Accounts[0].ToString();
        Assert.False(AddressTextCache.TryParse(text[..^1] + (text[^1] == 'q' ? 'p' : 'q'), out _)); // a bad checksum is still refused
    }
}
