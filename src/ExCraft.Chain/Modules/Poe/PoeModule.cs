using System.Globalization;
using System.Runtime.CompilerServices;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// Proof of Existence (SPEC 6, docs/poe.md), key prefix 0x0A, no transactions. After the markets
/// module's end-block it counts the block's new trades into the open epoch's tallies
/// (<see cref="PoeTradeFeed"/>); at the epoch end it counts the fee buyback's trades too, then
/// closes the epoch: closing prices, each account's PoE, the rewards of the PoE share (the cycle's
/// share plus the carry, read as the emission module reads it) and the report with its Merkle root.
/// It credits and mints only through the emission module's PoeChunkPayment (emission stays the only
/// minter and settles the epoch once the pools close has finished too).
/// </summary>
public sealed class PoeModule(PoeParameters parameters, EmissionModule emission) : ChainModule
{
    public const string ModuleName = "poe";

    /// <summary>Event types of the PoE module.</summary>
    public static class Events
    {
        /// <summary>Per epoch: the report's root, entries, available share, registered PoE, paid and held back by the wash guard.</summary>
        public const string Report = "poe_report";
    }

    public override string Name => ModuleName;

    public override byte[] KeyPrefix => PoeKeys.Prefix;

    public override IReadOnlyList<ITxHandler> Handlers { get; } = [];

    public override IReadOnlyList<string> EventTypes { get; } = [Events.Report];

    public PoeParameters Parameters => parameters;

    // The close work done in each block being executed, keyed by the block's hook context (one per block execution, so
    // concurrent executions do not mix): the pools module's end-block, later in the same block, takes what is left.
    private readonly ConditionalWeakTable<BlockHookContext, StrongBox<ulong>> _closeWork = new();

    /// <summary>What is left of the per-block close budget (close_chunk_accounts) after this module's close work in the block.</summary>
    public ulong CloseBudgetLeft(BlockHookContext c) =>
        parameters.CloseChunkAccounts - (_closeWork.TryGetValue(c, out var used) ? Math.Min(used.Value, parameters.CloseChunkAccounts) : 0);

    public static PoeQueries Queries(IStateReader state) => new(state);

    /// <summary>Counts the block's trades, then does this block's share of an ended epoch's close (if one is waiting).</summary>
    public override void EndBlock(BlockHookContext c)
    {
        new PoeTradeFeed(c.State, c.Block.Epoch).CollectNewTrades();
        // The PoE share of the closing epoch: its cycle's share plus the PoE carry, read when phase 2 starts, which waits until the
        // previous epoch is settled (its pools close may still be running; docs/pools.md "The close spread over blocks").
        var s = PoeEpochClose.Step(c.State, c.Block.Epoch, parameters,
            epoch => EmissionState.ReadTotals(c.State).EpochsSettled >= epoch
                ? EmissionState.ReadCarry(c.State).Available(emission.Plan.SplitOfEpoch(epoch)).ProofOfExistence
                : null, out var used);
        if (used > 0) _closeWork.AddOrUpdate(c, new StrongBox<ulong>(used));
        if (s is null) return;
        c.Emit(ChainEvent.Of(Events.Report, ("epoch", Text(s.Epoch)), ("root", Hex.Encode(s.Root)), ("entries", Text(s.Entries)),
            ("available", ChainEvent.Units(s.Available)), ("eligiblePoe", ChainEvent.Units(s.EligiblePoe)), ("paid", ChainEvent.Units(s.Paid)),
            ("heldByGuard", ChainEvent.Units(s.HeldByGuard)), ("rewarded", Text(s.RewardedAccounts))));
    }

    /// <summary>The markets module's epoch-end buyback trades belong to the ending epoch; its close starts in the next block.</summary>
    public override void EpochEnd(BlockHookContext c) => new PoeTradeFeed(c.State, c.Block.Epoch).CollectNewTrades();

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
