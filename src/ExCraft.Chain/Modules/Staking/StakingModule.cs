using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Staking.Handlers;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Staking;

/// <summary>
/// Validators, delegation, unbonding, slashing and the active set (SPEC 4; kinds 10-19).
/// Begin-block: count who signed the previous block and jail validators whose window shows too
/// few signatures. End-block: release matured unbondings and, after a jailing or a self-bond
/// falling below the minimum, install a new set from the next height. Epoch-end: install the
/// next epoch's set.
/// </summary>
public sealed class StakingModule(ulong chainId, StakingParameters parameters) : ChainModule
{
    public const string ModuleName = "staking";

    /// <summary>Event types of the staking module (transactions and block hooks).</summary>
    public static class Events
    {
        public const string ValidatorCreated = "validator_created";
        public const string ValidatorEdited = "validator_edited";
        public const string Delegated = "delegated";
        public const string UnbondingStarted = "unbonding_started";
        public const string Redelegated = "redelegated";
        public const string Unjailed = "unjailed";
        public const string Slashed = "slashed";
        public const string UnbondingCompleted = "unbonding_completed";
        public const string ValidatorSetUpdated = "validator_set_updated";
        public const string ValidatorSetKept = "validator_set_kept";
    }

    public override string Name => ModuleName;

    public override byte[] KeyPrefix => StakingKeys.Prefix;

    public StakingParameters Parameters => parameters;

    public override IReadOnlyList<ITxHandler> Handlers { get; } =
    [
        new CreateValidatorHandler(parameters), new EditValidatorHandler(parameters), new DelegateHandler(parameters), new UndelegateHandler(parameters),
        new RedelegateHandler(parameters), new UnjailHandler(parameters), new SubmitEvidenceHandler(chainId, parameters),
    ];

    public override IReadOnlyList<string> EventTypes { get; } =
    [
        Events.ValidatorCreated, Events.ValidatorEdited, Events.Delegated, Events.UnbondingStarted, Events.Redelegated, Events.Unjailed,
        Events.Slashed, Events.UnbondingCompleted, Events.ValidatorSetUpdated, Events.ValidatorSetKept,
    ];

    /// <summary>The module's typed read API over a state reader (JSON-RPC and gRPC map its records).</summary>
    public StakingQueries Queries(IStateReader state) => new(state, parameters);

    public override void BeginBlock(BlockHookContext c)
    {
        var block = c.Block;
        if (block.Height < 2) return; // block 1 carries no commit
        var staking = new StakingState(c.State, parameters);
        var signers = block.LastCommit.Signatures.Select(s => s.Validator).ToHashSet();
        foreach (var validator in StakingState.ReadSetForLastCommit(c.State, block.Height).Validators)
        {
            if (!staking.RecordSignature(validator.Operator, signers.Contains(validator.ConsensusAddress))) continue;
            var record = staking.GetValidator(validator.Operator);
            if (record is null || record.Jailed) continue;
            var burned = staking.Slash(validator.Operator, parameters.DowntimeSlashPpm);
            var until = block.TimeMs + parameters.DowntimeJailMs;
            staking.Jail(validator.Operator, until, forever: false);
            c.Emit(ChainEvent.Of(Events.Slashed, ("operator", validator.Operator.ToString()), ("reason", "downtime"),
                ("burned", ChainEvent.Units(burned)), ("jailed_until_ms", until.ToString(CultureInfo.InvariantCulture))));
        }
    }

    public override void EndBlock(BlockHookContext c)
    {
        var staking = new StakingState(c.State, parameters);
        foreach (var (delegator, validator, amount) in staking.ReleaseMatured(c.Block.TimeMs))
            c.Emit(ChainEvent.Of(Events.UnbondingCompleted, ("delegator", delegator.ToString()), ("validator", validator.ToString()), ("amount", ChainEvent.Units(amount))));
        if (c.Block.EndsEpoch) return; // EpochEnd installs the next epoch's set, whatever changed
        if (staking.TakeSetDirty()) UpdateSet(staking, c, c.Block.Epoch, newEpoch: false);
    }

    public override void EpochEnd(BlockHookContext c)
    {
        var staking = new StakingState(c.State, parameters);
        staking.TakeSetDirty();
        UpdateSet(staking, c, c.Block.Epoch + 1, newEpoch: true);
    }

    /// <summary>Installs the top candidates from the next height on (a new epoch always records its number, even with the same members).</summary>
    private static void UpdateSet(StakingState staking, BlockHookContext c, ulong epoch, bool newEpoch)
    {
        var selected = staking.SelectActive();
        if (selected.Count == 0)
        {
            // A chain without validators could never make another block: keep the current set.
            c.Emit(ChainEvent.Of(Events.ValidatorSetKept, ("epoch", epoch.ToString(CultureInfo.InvariantCulture)), ("reason", "no eligible candidate")));
            return;
        }
        var current = StakingState.ReadActiveSet(c.State);
        if (current.Validators.SequenceEqual(selected, ActiveValidatorComparer.Instance) && !newEpoch) return;
        staking.ReplaceActiveSet(epoch, c.Block.Height + 1, selected);
        c.Emit(ChainEvent.Of(Events.ValidatorSetUpdated, ("epoch", epoch.ToString(CultureInfo.InvariantCulture)),
            ("effective_height", (c.Block.Height + 1).ToString(CultureInfo.InvariantCulture)), ("validators", selected.Count.ToString(CultureInfo.InvariantCulture)),
            ("total_power", selected.Aggregate(0UL, (sum, v) => sum + v.Power).ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>Genesis validators are created with their self-bond already bonded (added to the EXT supply); they form epoch 0's set.</summary>
    public override void InitGenesis(GenesisConfig genesis, StateOverlay state)
    {
        var staking = new StakingState(state, parameters);
        var accounts = new AccountState(state);
        UInt128 bonded = 0;
        foreach (var v in genesis.Validators)
        {
            staking.CreateValidator(v.Address, v.PublicKey, v.Moniker.Length > 0 ? v.Moniker : v.Address.ToString(), GenesisCommission.RatePpm,
                GenesisCommission.MaxRatePpm, GenesisCommission.MaxDailyChangePpm, v.SelfBond, 0, genesis.GenesisTimeMs, fromBalance: false);
            bonded = Amount.Add(bonded, v.SelfBond);
        }
        accounts.Mint(AssetSymbol.Native, bonded); // genesis self-bonds are stake, not balances
        staking.ReplaceActiveSet(0, 1, staking.SelectActive());
        state.Delete(StakingKeys.PreviousSetKey);
    }

    /// <summary>Commission of genesis validators: 10%, at most 20%, changing by at most 1% a day.</summary>
    private static class GenesisCommission
    {
        public const uint RatePpm = 100_000;
        public const uint MaxRatePpm = 200_000;
        public const uint MaxDailyChangePpm = 10_000;
    }

    private sealed class ActiveValidatorComparer : IEqualityComparer<ActiveValidator>
    {
        public static readonly ActiveValidatorComparer Instance = new();

        public bool Equals(ActiveValidator? x, ActiveValidator? y) =>
            x!.Operator == y!.Operator && x.Power == y.Power && x.ConsensusAddress == y.ConsensusAddress;

        public int GetHashCode(ActiveValidator obj) => HashCode.Combine(obj.Operator, obj.Power);
    }
}
