using System.Numerics;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// An epoch's close, spread over the blocks after the epoch's end (docs/poe.md, "The close spread
/// over blocks"). Epochs close one after the other; each block does at most
/// <see cref="PoeParameters.CloseChunkAccounts"/> accounts' work, counted over both phases:
/// (0) at the start, the closing prices; (1) value and mask a chunk of tallies (address order),
/// each line written under its masked id, the tally deleted, the registered PoE summed;
/// (2) take a chunk of valued lines in masked-id order: reward, entry at the next position, index
/// by address, leaf into the Merkle frontier; (3) when none is left: root and summary. A chain
/// whose close fits one chunk finishes it in the first block after the epoch's end. The market
/// tallies stay as the report's per-market part.
/// </summary>
public static class PoeEpochClose
{
    /// <summary>
    /// This block's share of close work: the oldest ended epoch not yet closed, if any (epochs before
    /// <paramref name="openEpoch"/> have ended). Returns the summary when that close finished in this
    /// block; then no further close work is done in the block, so the emission module settles the
    /// epoch (later in the block, once the pools close is done too) before the next close reads the PoE
    /// carry. <paramref name="availableOf"/> returns null while the previous epoch is not settled: phase 2
    /// waits for it (phase 1 does not). <paramref name="used"/> is the account-steps done: the pools close
    /// takes what is left of the same per-block budget (docs/pools.md, "The close spread over blocks").
    /// </summary>
    public static PoeReportSummary? Step(StateOverlay state, ulong openEpoch, PoeParameters parameters, Func<ulong, UInt128?> availableOf, out ulong used)
    {
        used = 0;
        var epoch = PoeState.ReadNextToClose(state);
        if (epoch >= openEpoch) return null;
        var budget = parameters.CloseChunkAccounts;
        var summary = Advance(state, epoch, parameters, ref budget, availableOf);
        used = parameters.CloseChunkAccounts - budget;
        return summary;
    }

    /// <summary>The whole close of <paramref name="epoch"/> at once: the same steps without a chunk limit.</summary>
    public static PoeReportSummary Run(StateOverlay state, ulong epoch, PoeParameters parameters, UInt128 available)
    {
        var budget = ulong.MaxValue;
        return Advance(state, epoch, parameters, ref budget, _ => available) ?? throw new InvalidOperationException("an unlimited close did not finish");
    }

    private static PoeReportSummary? Advance(StateOverlay state, ulong epoch, PoeParameters parameters, ref ulong budget, Func<ulong, UInt128?> availableOf)
    {
        var progress = PoeState.ReadCloseProgress(state);
        if (progress is not null && progress.Epoch != epoch)
            throw new InvalidOperationException($"the close of epoch {progress.Epoch} is running but epoch {epoch} was asked to close");
        if (progress is null)
        {
            using (CloseSections.Measure("poe begin")) progress = Begin(state, epoch, parameters);
        }
        if (progress.Phase == PoeClosePhase.Valuing)
        {
            ulong used;
            bool finished;
            using (CloseSections.Measure("poe value")) (progress, used, finished) = ValueChunk(state, progress, budget);
            budget -= used;
            if (!finished || availableOf(epoch) is not { } available)
            {
                PoeState.WriteCloseProgress(state, progress);
                return null;
            }
            progress = progress with { Phase = PoeClosePhase.Paying, Done = 0, Available = available };
        }
        ulong paidLines;
        bool done;
        using (CloseSections.Measure("poe pay")) (progress, paidLines, done) = PayChunk(state, progress, budget, parameters.WashCapPpm);
        budget -= paidLines;
        if (!done)
        {
            PoeState.WriteCloseProgress(state, progress);
            return null;
        }
        var eligible = progress.EligiblePoe > (BigInteger)UInt128.MaxValue ? UInt128.MaxValue : (UInt128)progress.EligiblePoe;
        var summary = new PoeReportSummary(epoch, progress.Frontier.Root(), progress.Accounts, progress.Available, parameters.WashCapPpm, eligible,
            progress.TotalPoe, progress.Paid, progress.HeldByGuard, progress.Rewarded);
        PoeState.WriteSummary(state, summary);
        state.Delete(PoeKeys.CloseProgress);
        PoeState.WriteNextToClose(state, epoch + 1);
        return summary;
    }

    /// <summary>Phase 0: the closing prices (the epoch's market tallies no longer change) and how many accounts there are.</summary>
    private static PoeCloseProgress Begin(StateOverlay state, ulong epoch, PoeParameters parameters)
    {
        foreach (var price in ComputePrices(state, epoch, parameters))
        {
            PoeState.WriteClosingPrice(state, epoch, price);
            if (price.Source is PriceSource.Direct or PriceSource.Intermediate) PoeState.WriteLatestPrice(state, price.Asset, price.Price, epoch);
        }
        return PoeCloseProgress.Start(epoch, (ulong)state.IteratePrefix(PoeKeys.AccountTallies(epoch)).Count());
    }

    /// <summary>
    /// Phase 1, one chunk: value and mask the first tallies left (address order), write each line
    /// under its masked id and delete the tally. Registration is read now, when the chunk runs
    /// (docs/poe.md, "Registration during the close"): deterministic, the same on every node.
    /// </summary>
    private static (PoeCloseProgress Progress, ulong Used, bool Finished) ValueChunk(StateOverlay state, PoeCloseProgress progress, ulong budget)
    {
        var epoch = progress.Epoch;
        var all = state.IteratePrefixFrom(PoeKeys.AccountTallies(epoch), null, PageLimit(budget)); // done tallies are deleted: the rest starts at the prefix
        var take = (int)Math.Min((ulong)all.Count, budget);
        var byAsset = PoeState.ReadClosingPrices(state, epoch).ToDictionary(p => p.Asset, StringComparer.Ordinal);
        // State is read on this thread only: the block's committed-read cache under the overlay is not safe for concurrent use.
        var registered = new bool[take];
        for (var i = 0; i < take; i++) registered[i] = AccountState.ReadRegistered(state, PoeKeys.AccountOfTally(all[i].Key));
        // Per account, pure: decode, value, mask. In parallel, each result in its own slot, so the outcome does not depend on scheduling.
        var lines = new Line[take];
        SlotParallel.For(take, i =>
        {
            var account = PoeKeys.AccountOfTally(all[i].Key);
            var figures = AccountTally.Figures(all[i].Value);
            lines[i] = new Line(i, account, figures.Buys, figures.Sells, ValueOf(figures.Quantities, byAsset), ValueOf(figures.Fees, byAsset),
                registered[i], PoeEntry.Mask(account, epoch));
        });
        var writes = new KeyValuePair<byte[], byte[]?>[2 * take];
        var eligible = progress.EligiblePoe;
        for (var i = 0; i < take; i++)
        {
            var l = lines[i];
            writes[2 * i] = new(all[i].Key, null);
            writes[2 * i + 1] = new(PoeKeys.Valued(epoch, l.Masked), l.Encode());
            if (l.Registered) eligible += l.Poe;
        }
        state.PutMany(writes);
        return (progress with { Done = progress.Done + (ulong)take, EligiblePoe = eligible }, (ulong)take, take == all.Count);
    }

    /// <summary>
    /// Phase 2, one chunk: the first valued lines left, in masked-id order (the keys' order): each
    /// reward by <see cref="PoeRewards.RewardOf"/>, the entry at the next position, the index by
    /// address, the leaf into the frontier; the valued line is deleted. Finished when none is left.
    /// </summary>
    private static (PoeCloseProgress Progress, ulong Used, bool Finished) PayChunk(StateOverlay state, PoeCloseProgress progress, ulong budget, ulong washCapPpm)
    {
        var epoch = progress.Epoch;
        var all = state.IteratePrefixFrom(PoeKeys.AllValued(epoch), null, PageLimit(budget)); // paid lines are deleted: the rest starts at the prefix
        var take = (int)Math.Min((ulong)all.Count, budget);
        var start = progress.Done;
        var leaves = new byte[take][];
        var rewards = new (UInt128 Reward, UInt128 Held)[take];
        var lines = new Line[take];
        var writes = new KeyValuePair<byte[], byte[]?>[3 * take];
        SlotParallel.For(take, i =>
        {
            var l = Line.Decode(all[i].Value, epoch);
            var (reward, held) = PoeRewards.RewardOf(l.Poe, l.Registered, l.Fees, progress.Available, progress.EligiblePoe, washCapPpm);
            var encoded = new PoeEntry(l.Masked, l.Poe, l.Buys, l.Sells, l.Registered, l.Fees, reward).Encode();
            lines[i] = l;
            rewards[i] = (reward, held);
            leaves[i] = PoeMerkle.Leaf(encoded);
            var position = start + (ulong)i;
            writes[3 * i] = new(all[i].Key, null);
            writes[3 * i + 1] = new(PoeKeys.Index(epoch, l.Account), PoeState.EncodeIndex(new PoeIndex(position, l.Poe, reward)));
            writes[3 * i + 2] = new(PoeKeys.Entry(epoch, position), encoded);
        });
        state.PutMany(writes);
        // The chunk's rewards are credited and minted now (the emission module's PoeChunkPayment; pending until the epoch settles).
        PoeChunkPayment.Pay(state, Enumerable.Range(0, take).Where(i => rewards[i].Reward > 0).Select(i => (lines[i].Account, rewards[i].Reward)).ToList());
        var (totalPoe, paid, held, rewarded) = (progress.TotalPoe, progress.Paid, progress.HeldByGuard, progress.Rewarded);
        for (var i = 0; i < take; i++)
        {
            progress.Frontier.Add(leaves[i]);
            totalPoe = lines[i].Poe > UInt128.MaxValue - totalPoe ? UInt128.MaxValue : totalPoe + lines[i].Poe; // saturates rather than wraps (docs/poe.md)
            paid += rewards[i].Reward; // shares never add up to more than the available share: no overflow
            held += rewards[i].Held;
            if (rewards[i].Reward > 0) rewarded++;
        }
        return (progress with { Done = start + (ulong)take, TotalPoe = totalPoe, Paid = paid, HeldByGuard = held, Rewarded = rewarded }, (ulong)take, take == all.Count);
    }

    /// <summary>One more entry than the budget, so a page shows whether anything is left after the chunk.</summary>
    public static int PageLimit(ulong budget) => budget >= int.MaxValue - 1 ? int.MaxValue : (int)budget + 1;

    /// <summary>One account's valued line before its position is known (stored under its masked id between the phases).</summary>
    private readonly record struct Line(int Tally, Address Account, ulong Buys, ulong Sells, UInt128 Poe, UInt128 Fees, bool Registered, byte[] Masked)
    {
        /// <summary>rlp([address, buys, sells, PoE, fees value, registered]); the masked id is the key.</summary>
        public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(Account.ToBytes()), Rlp.EncodeUInt(Buys), Rlp.EncodeUInt(Sells), Rlp.EncodeUInt(Poe),
            Rlp.EncodeUInt(Fees), Rlp.EncodeBool(Registered));

        public static Line Decode(byte[] encoded, ulong epoch)
        {
            var f = Rlp.Decode(encoded).ListOf(6, "poe valued line");
            var account = new Address(f[0].AsFixed(Address.Length, "address"));
            return new Line(0, account, f[1].AsUInt64(), f[2].AsUInt64(), f[3].AsUInt128(), f[4].AsUInt128(), f[5].AsBool(), PoeEntry.Mask(account, epoch));
        }
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
