using System.Globalization;
using ExCraft.Chain.Execution;

namespace ExCraft.Chain.Modules.Staking;

/// <summary>
/// Staking work that belongs to blocks rather than transactions. Before the transactions: count
/// who signed the previous block and jail validators whose window shows too few signatures.
/// After them: release matured unbondings, and at an epoch boundary (or after a jailing) install
/// the new active set from the next height on.
/// </summary>
public static class StakingBlockHooks
{
    public static void BeginBlock(StakingState staking, BlockContext block, List<ChainEvent> events)
    {
        if (block.Height < 2) return; // block 1 carries no commit
        var signers = block.LastCommit.Signatures.Select(s => s.Validator).ToHashSet();
        foreach (var validator in StakingState.ReadSetForLastCommit(staking.Overlay, block.Height).Validators)
        {
            if (!staking.RecordSignature(validator.Operator, signers.Contains(validator.ConsensusAddress))) continue;
            var record = staking.GetValidator(validator.Operator);
            if (record is null || record.Jailed) continue;
            var burned = staking.Slash(validator.Operator, staking.Parameters.DowntimeSlashPpm);
            var until = block.TimeMs + staking.Parameters.DowntimeJailMs;
            staking.Jail(validator.Operator, until, forever: false);
            events.Add(ChainEvent.Of("slashed", ("operator", validator.Operator.ToString()), ("reason", "downtime"),
                ("burned", ChainEvent.Units(burned)), ("jailed_until_ms", until.ToString(CultureInfo.InvariantCulture))));
        }
    }

    public static void EndBlock(StakingState staking, BlockContext block, List<ChainEvent> events)
    {
        foreach (var (delegator, validator, amount) in staking.ReleaseMatured(block.TimeMs))
            events.Add(ChainEvent.Of("unbonding_completed", ("delegator", delegator.ToString()), ("validator", validator.ToString()), ("amount", ChainEvent.Units(amount))));

        var (epoch, start) = StakingState.ReadEpoch(staking.Overlay);
        var newEpoch = block.TimeMs >= start + staking.Parameters.EpochLengthMs;
        var dirty = staking.TakeSetDirty();
        if (!newEpoch && !dirty) return;
        if (newEpoch)
        {
            epoch++;
            staking.SetEpoch(epoch, block.TimeMs);
        }
        var selected = staking.SelectActive();
        if (selected.Count == 0)
        {
            // A chain without validators could never make another block: keep the current set.
            events.Add(ChainEvent.Of("validator_set_kept", ("epoch", epoch.ToString(CultureInfo.InvariantCulture)), ("reason", "no eligible candidate")));
            return;
        }
        var current = StakingState.ReadActiveSet(staking.Overlay);
        if (current.Validators.SequenceEqual(selected, ActiveValidatorComparer.Instance) && !newEpoch) return;
        staking.ReplaceActiveSet(epoch, block.Height + 1, selected);
        events.Add(ChainEvent.Of("validator_set_updated", ("epoch", epoch.ToString(CultureInfo.InvariantCulture)),
            ("effective_height", (block.Height + 1).ToString(CultureInfo.InvariantCulture)), ("validators", selected.Count.ToString(CultureInfo.InvariantCulture)),
            ("total_power", selected.Aggregate(0UL, (sum, v) => sum + v.Power).ToString(CultureInfo.InvariantCulture))));
    }

    private sealed class ActiveValidatorComparer : IEqualityComparer<ActiveValidator>
    {
        public static readonly ActiveValidatorComparer Instance = new();

        public bool Equals(ActiveValidator? x, ActiveValidator? y) =>
            x!.Operator == y!.Operator && x.Power == y.Power && x.ConsensusAddress == y.ConsensusAddress;

        public int GetHashCode(ActiveValidator obj) => HashCode.Combine(obj.Operator, obj.Power);
    }
}
