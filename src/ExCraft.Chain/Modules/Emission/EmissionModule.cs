using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Chain.Modules.Pools;
using ExCraft.Chain.Modules.Poe;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Emission;

/// <summary>
/// The emission module (SPEC 1, 2 and 8, docs/emission.md). For each ended epoch, in the block
/// where the PoE module finishes that epoch's report (docs/poe.md, "The close spread over
/// blocks"; the block after the epoch's last on small chains), it releases the
/// schedule cycle that epoch pays (first_cycle + epoch), adds each share's carry, pays the PoS
/// share to registered stakers (validators first taking commission; jailed validators and their
/// delegators earn nothing), credited to liquid balances automatically, pays the PoE share as the
/// PoE module's report of the epoch says (docs/poe.md) and the pools share as the pools module's
/// close split it (docs/pools.md; both closes credit and mint chunk by chunk with
/// <see cref="PoeChunkPayment"/>, pending until the settlement), mints what it paid and carries the rest. After every block it checks the
/// supply invariant. No transactions of its own yet.
/// </summary>
public sealed class EmissionModule(EmissionParameters parameters) : ChainModule
{
    public const string ModuleName = "emission";

    /// <summary>Event types of the emission module.</summary>
    public static class Events
    {
        /// <summary>Per epoch: the cycle released and its split (scheduled and available with carry).</summary>
        public const string Released = "emission_released";
        /// <summary>Per epoch and share: amount paid and number of payments.</summary>
        public const string Paid = "emission_paid";
        /// <summary>Per epoch: the carry of each share after paying.</summary>
        public const string Carried = "emission_carried";
        /// <summary>One PoS payment to an account for its stake with one validator.</summary>
        public const string PosReward = "pos_reward";
    }

    private readonly Lazy<EmissionPlan> _plan = new(() =>
    {
        var table = EmissionTable.Shared;
        table.RequireHash(parameters.TableHash);
        return new EmissionPlan(table, parameters.FirstCycle);
    });

    public override string Name => ModuleName;

    public override byte[] KeyPrefix => EmissionKeys.Prefix;

    public override IReadOnlyList<ITxHandler> Handlers { get; } = [];

    public override IReadOnlyList<string> EventTypes { get; } = [Events.Released, Events.Paid, Events.Carried, Events.PosReward];

    public EmissionParameters Parameters => parameters;

    /// <summary>The schedule as this chain pays it; the first use builds the table and refuses a genesis that pins a different one.</summary>
    public EmissionPlan Plan => _plan.Value;

    /// <summary>Builds the table now and checks the genesis' pinned hash (a node calls this at start, so a mismatch refuses to start); returns the module.</summary>
    public EmissionModule RequireTable()
    {
        _ = Plan;
        return this;
    }

    public EmissionQueries Queries(IStateReader state) => new(state, Plan);

    public override void ValidateGenesis(GenesisConfig genesis) => _ = Plan;

    /// <summary>Records the EXT supply after accounts and staking wrote theirs (this module runs after both), nothing minted, no carry.</summary>
    public override void InitGenesis(GenesisConfig genesis, StateOverlay state)
    {
        var supply = new AccountState(state).GetAsset(AssetSymbol.Native)?.Supply ?? 0;
        EmissionState.WriteTotals(state, new EmissionTotals(supply, ShareAmounts.Zero, 0, 0, 0));
        EmissionState.WriteCarry(state, EmissionCarry.None);
    }

    /// <summary>
    /// Settles the oldest ended epoch once its PoE report and its pools close are finished (docs/poe.md
    /// and docs/pools.md, "The close spread over blocks": both modules run earlier in the block and
    /// finish at most one close per block), then checks the supply invariant, in every block. Until an
    /// epoch settles nothing of its release is minted or carried, so the invariant holds in every
    /// block of the spread.
    /// </summary>
    public override void EndBlock(BlockHookContext c)
    {
        var settled = EmissionState.ReadTotals(c.State).EpochsSettled;
        if (settled < c.Block.Epoch && PoeState.ReadSummary(c.State, settled) is not null && !PoolsState.IsPendingTally(c.State, settled))
        {
            using (CloseSections.Measure("emission settle")) Settle(c, settled);
        }
        SupplyInvariant.Check(c.State, Plan);
    }

    private void Settle(BlockHookContext c, ulong epoch)
    {
        var totals = EmissionState.ReadTotals(c.State);
        var plan = Plan;
        var scheduled = plan.SplitOfEpoch(epoch);
        var carry = EmissionState.ReadCarry(c.State);
        var available = carry.Available(scheduled);
        var cycle = plan.CycleOfEpoch(epoch);
        c.Emit(ChainEvent.Of(Events.Released, ("epoch", Text(epoch)), ("cycle", cycle is { } x ? Text(x) : ""),
            ("released", ChainEvent.Units(plan.EmissionOfEpoch(epoch))), ("poe", ChainEvent.Units(scheduled.ProofOfExistence)),
            ("pools", ChainEvent.Units(scheduled.Pools)), ("pos", ChainEvent.Units(scheduled.ProofOfStake)),
            ("pos_available", ChainEvent.Units(available.ProofOfStake))));

        PosPayout payout;
        using (CloseSections.Measure("pos compute")) payout = ProofOfStakeRewards.Compute(c.State, available.ProofOfStake);

        // --- PoE share (docs/poe.md): the PoE module's end-block (earlier in the registry) finished this epoch's report over
        // available.ProofOfExistence and credited and minted its rewards chunk by chunk (PoeChunkPayment, pending until now);
        // what it did not pay (rounding, wash guard, no one registered) carries.
        var report = PoeState.ReadSummary(c.State, epoch) ?? throw new InvalidOperationException($"epoch {epoch} is settled without its PoE report");
        if (report.Available != available.ProofOfExistence)
            throw new InvalidOperationException($"PoE report of epoch {epoch} was computed over {report.Available} but the PoE share available is {available.ProofOfExistence}");
        var pendingPoe = EmissionState.ReadPendingPoe(c.State);
        if (pendingPoe != report.Paid) throw new InvalidOperationException($"PoE report of epoch {epoch} states {report.Paid} paid but {pendingPoe} was credited");
        // --- end of the PoE share

        // ---- Pools share (pools module, docs/pools.md "The close spread over blocks"): the pools close, finished in this block or
        // earlier, split available.Pools and credited and minted it chunk by chunk (PoeChunkPayment.PayPools, pending until now).
        var poolsPaid = EmissionState.ReadPendingPools(c.State);
        var poolsPayments = PoolsState.ReadStatsOf(c.State, epoch).Where(s => s.Eligible).Aggregate(0UL, (n, s) => n + s.Payments);
        // ---- end of the pools share ----

        var paid = new ShareAmounts(report.Paid, poolsPaid, payout.Paid);
        var settled = carry.Settle(scheduled, paid); // before any credit: throws if more would be paid than is available
        var accounts = new AccountState(c.State);
        foreach (var r in payout.Rewards)
        {
            accounts.Credit(r.Account, AssetSymbol.Native, r.Reward);
            EmissionState.AddReward(c.State, r.Account, r.Reward, epoch);
            c.Emit(ChainEvent.Of(Events.PosReward, ("epoch", Text(epoch)), ("account", r.Account.ToString()), ("validator", r.Validator.ToString()),
                ("stake", ChainEvent.Units(r.Stake)), ("reward", ChainEvent.Units(r.Reward)), ("commission", ChainEvent.Units(r.Commission))));
        }
        var unminted = new ShareAmounts(0, 0, payout.Paid); // the PoE and pools shares were minted chunk by chunk
        accounts.Mint(AssetSymbol.Native, unminted.Total); // the rewards were credited above
        EmissionState.WritePendingPoe(c.State, 0);
        EmissionState.WritePendingPools(c.State, 0);
        EmissionState.WriteCarry(c.State, settled);
        EmissionState.WriteTotals(c.State, totals with { Minted = totals.Minted + unminted, EpochsSettled = epoch + 1 });
        foreach (var share in EmissionShares.All)
        {
            c.Emit(ChainEvent.Of(Events.Paid, ("epoch", Text(epoch)), ("share", ShareName(share)), ("amount", ChainEvent.Units(paid[share])),
                ("payments", Text(share switch { EmissionShare.ProofOfStake => (ulong)payout.Rewards.Count, EmissionShare.ProofOfExistence => report.RewardedAccounts, EmissionShare.Pools => poolsPayments, _ => 0 }))));
        }
        c.Emit(ChainEvent.Of(Events.Carried, ("epoch", Text(epoch)), ("poe", ChainEvent.Units(settled.Carried.ProofOfExistence)),
            ("pools", ChainEvent.Units(settled.Carried.Pools)), ("pos", ChainEvent.Units(settled.Carried.ProofOfStake))));
    }

    /// <summary>The share's name in events and JSON.</summary>
    public static string ShareName(EmissionShare share) => share switch
    {
        EmissionShare.ProofOfExistence => "poe",
        EmissionShare.Pools => "pools",
        EmissionShare.ProofOfStake => "pos",
        _ => throw new ArgumentOutOfRangeException(nameof(share)),
    };

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
