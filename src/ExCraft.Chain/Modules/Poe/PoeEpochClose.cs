using System.Buffers.Binary;
using System.Numerics;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// An epoch's close (docs/poe.md): closing prices from the epoch's market tallies, each account's
/// PoE and fees valued at them, the rewards, and the report: entries by masked id at consecutive
/// positions, an index by address, the Merkle root in the summary. The open tallies are then
/// deleted (the report replaces them); the market tallies stay as the report's per-market part.
/// </summary>
public static class PoeEpochClose
{
    public static PoeReportSummary Run(StateOverlay state, ulong epoch, PoeParameters parameters, UInt128 available)
    {
        var prices = ComputePrices(state, epoch, parameters);
        foreach (var price in prices)
        {
            PoeState.WriteClosingPrice(state, epoch, price);
            if (price.Source is PriceSource.Direct or PriceSource.Intermediate) PoeState.WriteLatestPrice(state, price.Asset, price.Price, epoch);
        }
        var byAsset = prices.ToDictionary(p => p.Asset, StringComparer.Ordinal);

        // Per account, pure apart from reading registration (no writes happen meanwhile): decode, value, mask.
        // In parallel, each result in its own slot, so the outcome does not depend on how the work was scheduled.
        var tallies = state.IteratePrefix(PoeKeys.AccountTallies(epoch)).ToList();
        var lines = new Line[tallies.Count];
        SlotParallel.For(lines.Length, i =>
        {
            var account = PoeKeys.AccountOfTally(tallies[i].Key);
            var figures = AccountTally.Figures(tallies[i].Value);
            lines[i] = new Line(i, account, figures.Buys, figures.Sells, ValueOf(figures.Quantities, byAsset), ValueOf(figures.Fees, byAsset),
                AccountState.ReadRegistered(state, account), PoeEntry.Mask(account, epoch));
        });
        // Masked ids are keccak outputs of distinct addresses; the address only breaks a tie that cannot happen, so the order is total.
        // Compared first by the masks' first 8 bytes as a number (the same order as the bytes; nearly every comparison ends there).
        Array.Sort(lines, (a, b) =>
        {
            var order = a.MaskHead.CompareTo(b.MaskHead);
            if (order == 0) order = a.Masked.AsSpan().SequenceCompareTo(b.Masked);
            return order != 0 ? order : a.Account.CompareTo(b.Account);
        });

        var split = PoeRewards.Compute(lines.Select(l => (l.Poe, l.Registered, l.Fees)).ToList(), available, parameters.WashCapPpm);
        // Each entry is encoded once (it is both the stored value and the leaf's content) and hashed, and every write of the
        // report is prepared, in parallel, each in its own slot (tally deletions and index by the tallies' address order,
        // entries by position); then they go into the block's write set in one merge.
        var n = lines.Length;
        var leaves = new byte[n][];
        var writes = new KeyValuePair<byte[], byte[]?>[3 * n];
        SlotParallel.For(n, position =>
        {
            var l = lines[position];
            var reward = split.Rewards[position];
            var encoded = new PoeEntry(l.Masked, l.Poe, l.Buys, l.Sells, l.Registered, l.Fees, reward).Encode();
            leaves[position] = PoeMerkle.Leaf(encoded);
            writes[l.Tally] = new(PoeKeys.AccountTally(epoch, l.Account), null);
            writes[n + l.Tally] = new(PoeKeys.Index(epoch, l.Account), PoeState.EncodeIndex(new PoeIndex((ulong)position, l.Poe, reward)));
            writes[2 * n + position] = new(PoeKeys.Entry(epoch, (ulong)position), encoded);
        });
        state.PutMany(writes);
        UInt128 totalPoe = 0;
        var saturated = false;
        ulong rewarded = 0;
        for (var i = 0; i < n; i++)
        {
            saturated |= lines[i].Poe > UInt128.MaxValue - totalPoe; // the sum saturates rather than wraps (docs/poe.md)
            totalPoe = saturated ? UInt128.MaxValue : totalPoe + lines[i].Poe;
            if (split.Rewards[i] > 0) rewarded++;
        }
        var summary = new PoeReportSummary(epoch, PoeMerkle.Root(leaves), (ulong)lines.Length, available, parameters.WashCapPpm, split.EligiblePoe,
            totalPoe, split.Paid, split.HeldByGuard, rewarded);
        PoeState.WriteSummary(state, summary);
        return summary;
    }

    /// <summary>One account's line before its position is known; Tally is its place in the tallies' (address) order.</summary>
    private readonly record struct Line(int Tally, Address Account, ulong Buys, ulong Sells, UInt128 Poe, UInt128 Fees, bool Registered, byte[] Masked)
    {
        public ulong MaskHead { get; } = BinaryPrimitives.ReadUInt64BigEndian(Masked);
    }

    /// <summary>Prices every asset of a listed market (and the reference), so idle listed assets show their carried price too.</summary>
    private static IReadOnlyList<ClosingPrice> ComputePrices(IStateReader state, ulong epoch, PoeParameters parameters)
    {
        var reference = AccountState.ReadAsset(state, parameters.ReferenceAsset)
            ?? throw new InvalidOperationException($"the PoE reference asset {parameters.ReferenceAsset} does not exist");
        var tallies = PoeState.ReadMarketTallies(state, epoch);
        var symbols = new SortedSet<string>(StringComparer.Ordinal) { reference.Symbol };
        foreach (var m in MarketsState.ReadMarkets(state)) { symbols.Add(m.Base); symbols.Add(m.Quote); }
        foreach (var m in tallies) { symbols.Add(m.Base); symbols.Add(m.Quote); }
        var decimals = symbols.ToDictionary(s => s, s => (AccountState.ReadAsset(state, s) ?? throw new InvalidOperationException($"traded asset {s} does not exist")).Decimals,
            StringComparer.Ordinal);
        return ClosingPriceRules.Compute(reference.Symbol, reference.Decimals, decimals, tallies, asset => PoeState.ReadLatestPrice(state, asset));
    }

    /// <summary>Sum over assets of floor(amount * price / 10^decimals); an asset without a closing price counts 0.</summary>
    public static UInt128 ValueOf((string Asset, UInt128 Amount)[] amounts, IReadOnlyDictionary<string, ClosingPrice> prices)
    {
        // The usual case in 128-bit integers (no BigInteger per account at the epoch end): exact
        // while each factor fits 64 bits and the sum does not overflow; otherwise the general sum.
        UInt128 fast = 0;
        foreach (var (asset, amount) in amounts)
        {
            if (!prices.TryGetValue(asset, out var price)) continue;
            if (amount > ulong.MaxValue || price.Price > ulong.MaxValue || price.Decimals > 38) return ValueOfExact(amounts, prices);
            var value = amount * price.Price / UInt128Pow10(price.Decimals);
            if (value > UInt128.MaxValue - fast) return ValueOfExact(amounts, prices);
            fast += value;
        }
        return fast;
    }

    private static UInt128 ValueOfExact((string Asset, UInt128 Amount)[] amounts, IReadOnlyDictionary<string, ClosingPrice> prices)
    {
        BigInteger total = 0;
        foreach (var (asset, amount) in amounts)
        {
            if (prices.TryGetValue(asset, out var price)) total += price.Value(amount);
        }
        return Saturate(total);
    }

    private static readonly UInt128[] Powers10 = Enumerable.Range(0, 39).Select(e => Enumerable.Repeat((UInt128)10, e).Aggregate(UInt128.One, (p, x) => p * x)).ToArray();

    private static UInt128 UInt128Pow10(byte exponent) => Powers10[exponent];

    private static UInt128 Saturate(BigInteger value) => value > (BigInteger)UInt128.MaxValue ? UInt128.MaxValue : (UInt128)value;
}
