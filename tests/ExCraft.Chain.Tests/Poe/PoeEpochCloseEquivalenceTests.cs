using System.Numerics;
using ExCraft.Chain.Modules;
using ExCraft.Chain.Modules.Poe;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Poe;

/// <summary>
/// The epoch close as the node runs it (over stacked overlays, the committed epoch below the
/// block's own changes, with its ordered merges and single passes) against the report worked out
/// here the straightforward way from the same random epoch: every account's PoE and fees, the
/// order by masked id, each reward by the documented formula, the root by pairing hashes level by
/// level. Reports, entries, indexes, root, rewards and the payout must be identical.
/// </summary>
public sealed class PoeEpochCloseEquivalenceTests : IDisposable
{
    private const string EXT = AssetSymbol.Native;
    private const ulong WashCapPpm = 900_000;
    private static readonly UInt128 Available = Amount.FromWhole(1_234_567);

    private readonly TestChain _t = new();

    public void Dispose() => _t.Dispose();

    private sealed record Line(Address Account, UInt128 Poe, UInt128 Fees, ulong Buys, ulong Sells, bool Registered);

    private static UInt128 RandomAmount(Random random) => (UInt128)(ulong)random.NextInt64(0, long.MaxValue) * (ulong)random.Next(0, 1_000);

    [Theory]
    [InlineData(1, 257)]
    [InlineData(2, 64)]
    [InlineData(3, 1)]
    [InlineData(4, 20_000)] // enough accounts for the close's parallel passes (decode, value, mask, rewards, encode, hash) to run on several cores
    public void The_close_equals_the_straightforward_report_of_a_random_epoch(int seed, int accountCount)
    {
        var random = new Random(seed);
        var committed = new StateOverlay(_t.Chain.State);
        var epoch = EpochClock.Read(committed).Epoch;
        var tallies = new Dictionary<Address, AccountTally>();
        var registered = new HashSet<Address>();
        for (var i = 0; i < accountCount; i++)
        {
            var account = TestChain.RandomAddress(random);
            var tally = AccountTally.Empty() with { Buys = (ulong)random.Next(0, 50), Sells = (ulong)random.Next(0, 50) };
            tally.Quantities[EXT] = RandomAmount(random);
            tally.Quantities["GOLD"] = RandomAmount(random); // no closing price: counts nothing
            if (random.Next(4) != 0) tally.Fees[EXT] = RandomAmount(random) / 100;
            tallies[account] = tally;
            PoeState.WriteAccountTally(committed, epoch, account, tally);
            if (random.Next(3) != 0)
            {
                new AccountState(committed).SetRegistered(account);
                registered.Add(account);
            }
        }

        // The epoch's last block changes some tallies, adds one and registers one more account in its own overlay.
        var block = new StateOverlay(committed);
        foreach (var account in tallies.Keys.Where((_, i) => i % 5 == 0).ToList())
        {
            var changed = tallies[account].WithTrade(random.Next(2) == 0, EXT, RandomAmount(random), EXT, RandomAmount(random) / 100);
            tallies[account] = changed;
            PoeState.WriteAccountTally(block, epoch, account, changed);
        }
        var late = new Address(Keccak256.Hash([(byte)seed])[..Address.Length]);
        tallies[late] = AccountTally.Empty().WithTrade(true, EXT, Amount.FromWhole(10), EXT, Amount.FromWhole(1));
        PoeState.WriteAccountTally(block, epoch, late, tallies[late]);
        new AccountState(block).SetRegistered(late);
        registered.Add(late);
        // The same block without the close, for the straightforward write set below.
        var straightforward = new StateOverlay(committed);
        block.MergeInto(straightforward);

        var summary = PoeEpochClose.Run(block, epoch, new PoeParameters(EXT, WashCapPpm), Available);

        // The straightforward report: the reference asset is priced 1:1 in its own base units, GOLD has no price.
        var lines = tallies.Select(t => new Line(t.Key, t.Value.Quantities[EXT], t.Value.Fees.GetValueOrDefault(EXT), t.Value.Buys, t.Value.Sells,
            registered.Contains(t.Key))).OrderBy(l => PoeEntry.Mask(l.Account, epoch), ByteArrayComparer.Instance).ToList();
        var eligible = lines.Where(l => l.Registered).Aggregate(BigInteger.Zero, (sum, l) => sum + l.Poe);
        var rewards = lines.Select(l => !l.Registered || l.Poe == 0 || eligible == 0 ? UInt128.Zero
            : (UInt128)BigInteger.Min(Available * (BigInteger)l.Poe / eligible, (BigInteger)l.Fees * WashCapPpm / 1_000_000)).ToList();
        var entries = lines.Select((l, i) => new PoeEntry(PoeEntry.Mask(l.Account, epoch), l.Poe, l.Buys, l.Sells, l.Registered, l.Fees, rewards[i])).ToList();
        var shares = lines.Select(l => !l.Registered || l.Poe == 0 || eligible == 0 ? BigInteger.Zero : Available * (BigInteger)l.Poe / eligible).ToList();
        var paid = rewards.Aggregate(BigInteger.Zero, (sum, r) => sum + r);

        Assert.Equal(ReferenceRoot(entries), summary.Root);
        Assert.Equal((ulong)entries.Count, summary.Entries);
        Assert.Equal((UInt128)eligible, summary.EligiblePoe);
        Assert.Equal((UInt128)lines.Aggregate(BigInteger.Zero, (sum, l) => sum + l.Poe), summary.TotalPoe);
        Assert.Equal((UInt128)paid, summary.Paid);
        Assert.Equal((UInt128)(shares.Aggregate(BigInteger.Zero, (s, x) => s + x) - paid), summary.HeldByGuard);
        Assert.Equal((ulong)rewards.Count(r => r > 0), summary.RewardedAccounts);
        Assert.True(summary.Paid > 0, "the random epoch pays someone");
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(entries[i].Encode(), PoeState.ReadEntry(block, epoch, (ulong)i)!.Encode());
            Assert.Equal(new PoeIndex((ulong)i, lines[i].Poe, rewards[i]), PoeState.ReadIndex(block, epoch, lines[i].Account));
        }
        Assert.Null(PoeState.ReadEntry(block, epoch, (ulong)entries.Count));
        Assert.Empty(PoeState.ReadAccountTallies(block, epoch));
        Assert.Equal(lines.OrderBy(l => l.Account).Select(l => l.Account), PoeState.ReadIndexes(block, epoch).Select(x => x.Account));

        // The whole write set, so the app hash, equals the straightforward one: every entry and index written, every tally
        // deleted, the summary; the closing prices are the close's own (ClosingPriceRulesTests check them).
        foreach (var price in PoeState.ReadClosingPrices(block, epoch))
        {
            PoeState.WriteClosingPrice(straightforward, epoch, price);
            if (PoeState.ReadLatestPrice(block, price.Asset) is { } latest && latest.Epoch == epoch) PoeState.WriteLatestPrice(straightforward, price.Asset, latest.Price, epoch);
        }
        for (var i = 0; i < entries.Count; i++)
        {
            PoeState.WriteEntry(straightforward, epoch, (ulong)i, entries[i]);
            PoeState.WriteIndex(straightforward, epoch, lines[i].Account, new PoeIndex((ulong)i, lines[i].Poe, rewards[i]));
            straightforward.Delete(PoeKeys.AccountTally(epoch, lines[i].Account));
            straightforward.Delete(PoeKeys.Valued(epoch, PoeEntry.Mask(lines[i].Account, epoch))); // the close's own line between its phases, gone again
        }
        PoeState.WriteNextToClose(straightforward, epoch + 1);
        // The rewards are credited and minted by the close (one chunk here), pending until the emission module settles the epoch.
        Modules.Emission.PoeChunkPayment.Pay(straightforward, lines.Select((l, i) => (l.Account, rewards[i])).Where(x => x.Item2 > 0).ToList());
        straightforward.Delete(PoeKeys.CloseProgress); // a close that fits one block never leaves its progress record
        PoeState.WriteSummary(straightforward, new PoeReportSummary(epoch, ReferenceRoot(entries), (ulong)entries.Count, Available, WashCapPpm, (UInt128)eligible,
            (UInt128)lines.Aggregate(BigInteger.Zero, (sum, l) => sum + l.Poe), (UInt128)paid, (UInt128)(shares.Aggregate(BigInteger.Zero, (s, x) => s + x) - paid),
            (ulong)rewards.Count(r => r > 0)));
        Assert.Equal(straightforward.Writes.Count, block.Writes.Count);
        Assert.Equal(AppHash.Next(AppHash.Initial, straightforward.Writes), AppHash.Next(AppHash.Initial, block.Writes));

        var payout = PoePayout.Of(block, epoch, Available);
        Assert.Equal((UInt128)paid, payout.Paid);
        Assert.Equal(lines.Select((l, i) => (l.Account, rewards[i])).Where(x => x.Item2 > 0).OrderBy(x => x.Account), payout.Rewards);

        // Every account's proof, as the RPC serves it, leads from its entry to the committed root.
        var queries = new PoeQueries(block);
        foreach (var line in lines)
        {
            var proof = queries.EntryWithProof(epoch, line.Account)!;
            Assert.True(PoeMerkle.Verify(proof.Entry.LeafHash(), proof.Proof, summary.Root));
        }
    }

    /// <summary>The documented tree, level by level: leaves keccak(0x00 ‖ entry), pairs keccak(0x01 ‖ left ‖ right), an odd last node promoted.</summary>
    private static byte[] ReferenceRoot(IReadOnlyList<PoeEntry> entries)
    {
        if (entries.Count == 0) return new byte[32];
        var level = entries.Select(e => Keccak256.Hash([0x00, .. e.Encode()])).ToList();
        while (level.Count > 1) level = level.Chunk(2).Select(pair => pair.Length == 2 ? Keccak256.Hash([0x01, .. pair[0], .. pair[1]]) : pair[0]).ToList();
        return level[0];
    }
}
