using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>An account's entry in a closed epoch's report with its position and Merkle proof against the report's root.</summary>
public sealed record PoeEntryProof(PoeReportSummary Summary, Address Account, ulong Position, PoeEntry Entry, IReadOnlyList<ProofStep> Proof);

/// <summary>An account's PoE in one epoch: none (no entry) when it did not trade or the epoch is not closed.</summary>
public sealed record PoeEpochLine(ulong Epoch, bool Closed, bool Traded, UInt128 Poe, UInt128 Reward);

/// <summary>Typed reads of the PoE module for JSON-RPC (docs/rpc.md, "PoE methods").</summary>
public sealed class PoeQueries(IStateReader state)
{
    /// <summary>The epoch being accumulated now (ended epochs before it have reports once their close is done).</summary>
    public ulong OpenEpoch => EpochClock.Read(state).Epoch;

    /// <summary>The latest epoch whose report is finished; null when none is (epochs close in order, docs/poe.md).</summary>
    public ulong? LastClosedEpoch => PoeState.ReadNextToClose(state) is var next && next > 0 ? next - 1 : null;

    /// <summary>The close running now: its epoch, accounts done (both phases counted, each half) and accounts; null when none runs.</summary>
    public (ulong Epoch, ulong Done, ulong Accounts)? Closing => PoeState.ReadCloseProgress(state) is { } p ? (p.Epoch, p.AccountsDone, p.Accounts) : null;

    /// <summary>A closed epoch's report head; a clear error for an epoch not closed yet.</summary>
    public PoeReportSummary Summary(ulong epoch) => PoeState.ReadSummary(state, epoch) ?? throw NotClosed(epoch);

    public IReadOnlyList<PoeEntry> Entries(ulong epoch, ulong from, int limit)
    {
        _ = Summary(epoch);
        return PoeState.ReadEntries(state, epoch, from, limit);
    }

    public IReadOnlyList<MarketTally> Markets(ulong epoch) => PoeState.ReadMarketTallies(state, epoch);

    public IReadOnlyList<ClosingPrice> ClosingPrices(ulong epoch)
    {
        _ = Summary(epoch);
        return PoeState.ReadClosingPrices(state, epoch);
    }

    /// <summary>The account's entry and its proof; null when the account has no entry in that (closed) epoch.</summary>
    public PoeEntryProof? EntryWithProof(ulong epoch, Address account)
    {
        var summary = Summary(epoch);
        if (PoeState.ReadIndex(state, epoch, account) is not { } index) return null;
        var entry = PoeState.ReadEntry(state, epoch, index.Position) ?? throw new InvalidOperationException($"PoE index of epoch {epoch} points at a missing entry {index.Position}");
        var proof = PoeMerkle.ProofFromLevels(PoeProofTrees.Of(state, summary), checked((int)index.Position));
        return new PoeEntryProof(summary, account, index.Position, entry, proof);
    }

    /// <summary>The account's PoE and reward in each epoch of [first, last] (at most 1,000 epochs).</summary>
    public IReadOnlyList<PoeEpochLine> AccountRange(Address account, ulong first, ulong last)
    {
        if (first > last) throw new ArgumentException($"first epoch {first} is after last epoch {last}");
        if (last - first >= 1_000) throw new ArgumentException("at most 1000 epochs at once");
        var lines = new List<PoeEpochLine>();
        for (var e = first; ; e++)
        {
            var closed = PoeState.ReadSummary(state, e) is not null;
            var index = closed ? PoeState.ReadIndex(state, e, account) : null;
            lines.Add(new PoeEpochLine(e, closed, index is not null, index?.Poe ?? 0, index?.Reward ?? 0));
            if (e == last) break;
        }
        return lines;
    }

    private InvalidOperationException NotClosed(ulong epoch)
    {
        var open = OpenEpoch;
        if (epoch >= open) return new PoeEpochNotClosedException($"epoch {epoch} has no PoE report: it is not closed yet (the open epoch is {open})");
        var progress = Closing is { } c && c.Epoch == epoch ? $"{c.Done} of {c.Accounts} accounts done" : "its close has not started: it starts in the block after the epoch's last, once the epochs before it are closed";
        return new PoeEpochNotClosedException($"epoch {epoch} not closed yet ({progress}); its report is finished over the next blocks");
    }
}

/// <summary>A report, entry or proof was asked for an epoch that has not ended.</summary>
public sealed class PoeEpochNotClosedException(string message) : InvalidOperationException(message);
