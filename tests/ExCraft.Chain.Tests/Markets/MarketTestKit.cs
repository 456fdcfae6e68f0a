using System.Numerics;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>Accounts and market rules shared by the matching tests.</summary>
internal static class MarketTestKit
{
    public static readonly Address Alice = AccountNumber(1);
    public static readonly Address Bob = AccountNumber(2);
    public static readonly Address Carol = AccountNumber(3);

    public static Address AccountNumber(int n)
    {
        var bytes = new byte[Address.Length];
        bytes[0] = 0xAC;
        bytes[^1] = (byte)n;
        bytes[^2] = (byte)(n >> 8);
        return new Address(bytes);
    }

    /// <summary>Tick 1, lot 1, scale 1: quote = price * size exactly; maker 0.1%, taker 0.2%.</summary>
    public static MarketRules Plain(MatchingMode mode = MatchingMode.Continuous, UInt128? minNotional = null) =>
        new(TickSize: 1, LotSize: 1, PriceScale: 1, MinNotional: minNotional ?? 1, MakerFeePpm: 1_000, TakerFeePpm: 2_000, mode);

    public static readonly UInt128 Plenty = UInt128.MaxValue / 4;
}

/// <summary>
/// Balances the way the chain module will keep them, driven only by the engine's outputs: free and
/// locked per account and asset, fees per asset, and the lock each order holds. Signed big
/// integers so the order of applying a call's events and fills does not matter; every value is
/// checked non-negative afterwards.
/// </summary>
internal sealed class Ledger
{
    public enum Asset { Base, Quote }

    private readonly SortedDictionary<string, BigInteger> _free = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, BigInteger> _locked = new(StringComparer.Ordinal);
    private readonly SortedDictionary<ulong, BigInteger> _orderLocks = new();
    public BigInteger BaseFees { get; private set; }
    public BigInteger QuoteFees { get; private set; }
    public BigInteger BaseSupply { get; private set; }
    public BigInteger QuoteSupply { get; private set; }

    public void Fund(Address account, Asset asset, BigInteger amount)
    {
        Add(_free, Key(account, asset), amount);
        if (asset == Asset.Base) BaseSupply += amount; else QuoteSupply += amount;
    }

    public BigInteger Free(Address account, Asset asset) => _free.GetValueOrDefault(Key(account, asset));
    public BigInteger Locked(Address account, Asset asset) => _locked.GetValueOrDefault(Key(account, asset));
    public BigInteger OrderLock(ulong orderId) => _orderLocks.GetValueOrDefault(orderId);

    /// <summary>What an order of this side may lock: the free balance of the asset it pays.</summary>
    public UInt128 Available(Address account, Side side)
    {
        var free = Free(account, side == Side.Buy ? Asset.Quote : Asset.Base);
        return free <= 0 ? 0 : free > (BigInteger)UInt128.MaxValue ? UInt128.MaxValue : (UInt128)free;
    }

    public void Apply(MatchOutput output)
    {
        foreach (var e in output.Events)
        {
            var asset = e.Side == Side.Buy ? Asset.Quote : Asset.Base;
            if (e.FundsLocked != 0)
            {
                Add(_free, Key(e.Account, asset), -(BigInteger)e.FundsLocked);
                Add(_locked, Key(e.Account, asset), e.FundsLocked);
                _orderLocks[e.OrderId] = OrderLock(e.OrderId) + e.FundsLocked;
            }
            if (e.FundsReleased != 0)
            {
                Add(_locked, Key(e.Account, asset), -(BigInteger)e.FundsReleased);
                Add(_free, Key(e.Account, asset), e.FundsReleased);
                _orderLocks[e.OrderId] = OrderLock(e.OrderId) - e.FundsReleased;
            }
        }
        foreach (var f in output.Fills)
        {
            Add(_locked, Key(f.Buyer, Asset.Quote), -(BigInteger)f.QuoteAmount);
            Add(_locked, Key(f.Seller, Asset.Base), -(BigInteger)f.BaseAmount);
            _orderLocks[f.BuyOrderId] = OrderLock(f.BuyOrderId) - f.QuoteAmount;
            _orderLocks[f.SellOrderId] = OrderLock(f.SellOrderId) - f.BaseAmount;
            Add(_free, Key(f.Buyer, Asset.Base), (BigInteger)f.BaseAmount - f.BuyerFee);
            Add(_free, Key(f.Seller, Asset.Quote), (BigInteger)f.QuoteAmount - f.SellerFee);
            BaseFees += f.BuyerFee;
            QuoteFees += f.SellerFee;
        }
    }

    /// <summary>Free + locked + fees of each asset equal what was funded, and nothing is negative.</summary>
    public void AssertConserved()
    {
        foreach (var (key, value) in _free) Assert.True(value >= 0, $"free {key} is {value}");
        foreach (var (key, value) in _locked) Assert.True(value >= 0, $"locked {key} is {value}");
        foreach (var (id, value) in _orderLocks) Assert.True(value >= 0, $"order {id} lock is {value}");
        Assert.Equal(BaseSupply, Sum(Asset.Base) + BaseFees);
        Assert.Equal(QuoteSupply, Sum(Asset.Quote) + QuoteFees);
    }

    /// <summary>The engine's view of each open order's lock equals the ledger's, and closed orders hold nothing.</summary>
    public void AssertLocksMatch(OrderBook book)
    {
        var open = new HashSet<ulong>();
        foreach (var side in new[] { Side.Buy, Side.Sell })
        {
            foreach (var order in book.Orders(side))
            {
                open.Add(order.Id);
                Assert.Equal((BigInteger)order.Locked, OrderLock(order.Id));
            }
        }
        foreach (var (id, value) in _orderLocks)
        {
            if (!open.Contains(id)) Assert.True(value == 0, $"closed order {id} still holds {value}");
        }
        Assert.Equal((BigInteger)book.TotalLocked(Side.Buy), LockedTotal(Asset.Quote));
        Assert.Equal((BigInteger)book.TotalLocked(Side.Sell), LockedTotal(Asset.Base));
    }

    private BigInteger Sum(Asset asset) => Total(_free, asset) + Total(_locked, asset);
    private BigInteger LockedTotal(Asset asset) => Total(_locked, asset);

    private static BigInteger Total(SortedDictionary<string, BigInteger> map, Asset asset)
    {
        BigInteger total = 0;
        foreach (var (key, value) in map) if (key.EndsWith("/" + asset, StringComparison.Ordinal)) total += value;
        return total;
    }

    private static string Key(Address account, Asset asset) => $"{account.ToHex()}/{asset}";

    private static void Add(SortedDictionary<string, BigInteger> map, string key, BigInteger delta) =>
        map[key] = map.GetValueOrDefault(key) + delta;
}
