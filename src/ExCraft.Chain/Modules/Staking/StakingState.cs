using System.Buffers.Binary;
using ExCraft.Chain.Execution;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Staking;

/// <summary>
/// Staking state over an overlay: validators, delegations (as shares), unbonding entries, the
/// active set, epochs and downtime windows, with the operations that keep them consistent.
/// Bonded EXT leaves account balances and lives in validators' tokens; slashed EXT is burned.
/// </summary>
public sealed class StakingState(StateOverlay state, StakingParameters parameters)
{
    private readonly AccountState _accounts = new(state);

    public StakingParameters Parameters => parameters;

    public StateOverlay Overlay => state;

    public static ValidatorRecord? ReadValidator(IStateReader reader, Address op) =>
        reader.Get(StakingKeys.Validator(op)) is { } value ? ValidatorRecord.Decode(op, value) : null;

    public ValidatorRecord? GetValidator(Address op) => ReadValidator(state, op);

    public void PutValidator(ValidatorRecord v) => state.Set(StakingKeys.Validator(v.Operator), v.Encode());

    public static IEnumerable<ValidatorRecord> ReadValidators(IStateReader reader) =>
        reader.IteratePrefix(StakingKeys.AllValidators).Select(kv => ValidatorRecord.Decode(StakingKeys.OperatorOfValidatorKey(kv.Key), kv.Value));

    public static Address? ReadOperatorOf(IStateReader reader, Address consensus) =>
        reader.Get(StakingKeys.ConsensusToOperator(consensus)) is { } value ? new Address(value) : null;

    public static ActiveSet ReadActiveSet(IStateReader reader) =>
        ActiveSet.Decode(reader.Get(StakingKeys.ActiveSetKey) ?? throw new InvalidOperationException("no active validator set in state"));

    /// <summary>The set that signed the previous block's commit: the previous one if the set changed at this height.</summary>
    public static ActiveSet ReadSetForLastCommit(IStateReader reader, ulong height)
    {
        var active = ReadActiveSet(reader);
        return active.EffectiveHeight == height && reader.Get(StakingKeys.PreviousSetKey) is { } previous ? ActiveSet.Decode(previous) : active;
    }

    public static UInt128 ReadShares(IStateReader reader, Address delegator, Address validator) =>
        reader.Get(StakingKeys.Delegation(delegator, validator)) is { } value ? BinaryPrimitives.ReadUInt128BigEndian(value) : 0;

    /// <summary>The delegator's delegations (validator, shares), in validator address order.</summary>
    public static IEnumerable<(Address Validator, UInt128 Shares)> ReadDelegations(IStateReader reader, Address delegator) =>
        reader.IteratePrefix(StakingKeys.DelegationsOf(delegator)).Select(kv => (StakingKeys.ValidatorOfDelegation(kv.Key), BinaryPrimitives.ReadUInt128BigEndian(kv.Value)));

    /// <summary>Every delegation (delegator, validator, shares), in delegator then validator order (reward distribution).</summary>
    public static IEnumerable<(Address Delegator, Address Validator, UInt128 Shares)> ReadAllDelegations(IStateReader reader) =>
        reader.IteratePrefix(StakingKeys.AllDelegations).Select(kv =>
        {
            var (delegator, validator) = StakingKeys.ParseDelegation(kv.Key);
            return (delegator, validator, BinaryPrimitives.ReadUInt128BigEndian(kv.Value));
        });

    /// <summary>EXT in all unbonding entries (supply report).</summary>
    public static UInt128 ReadUnbondingTotal(IStateReader reader) =>
        reader.IteratePrefix(StakingKeys.AllUnbondings).Aggregate(UInt128.Zero, (sum, kv) => Amount.Add(sum, BinaryPrimitives.ReadUInt128BigEndian(kv.Value)));


    /// <summary>The delegator's unbonding entries (validator, amount, completion), in validator then time order.</summary>
    public static IEnumerable<(Address Validator, UInt128 Amount, ulong CompletionMs)> ReadUnbondings(IStateReader reader, Address delegator) =>
        reader.IteratePrefix(StakingKeys.UnbondingsOf(delegator)).Select(kv =>
        {
            var (_, validator, completion) = StakingKeys.ParseUnbonding(kv.Key);
            return (validator, BinaryPrimitives.ReadUInt128BigEndian(kv.Value), completion);
        });

    /// <summary>Registers a validator (its consensus key must be unused) with its self-bond.</summary>
    public ValidatorRecord CreateValidator(Address op, byte[] consensusKey, string moniker, uint commission, uint maxCommission, uint maxDailyChange, UInt128 selfBond, ulong height, ulong timeMs, bool fromBalance)
    {
        if (GetValidator(op) is not null) throw new TransactionFailedException($"{op} is already a validator");
        var consensus = new Core.Crypto.PublicKey(consensusKey).Address;
        if (state.Get(StakingKeys.ConsensusToOperator(consensus)) is not null) throw new TransactionFailedException($"consensus key {consensus} is already used by a validator");
        if (selfBond < parameters.MinSelfBond) throw new TransactionFailedException($"self-bond {selfBond} is below the minimum {parameters.MinSelfBond}");
        var validator = new ValidatorRecord(op, consensusKey, consensus, moniker, commission, maxCommission, maxDailyChange, timeMs, 0, 0, false, 0, false, height);
        PutValidator(validator);
        state.Set(StakingKeys.ConsensusToOperator(consensus), op.ToBytes());
        Delegate(op, op, selfBond, fromBalance);
        return GetValidator(op)!;
    }

    /// <summary>Bonds tokens (from the delegator's balance unless created at genesis) for shares of the validator.</summary>
    public UInt128 Delegate(Address delegator, Address op, UInt128 amount, bool fromBalance = true)
    {
        var validator = GetValidator(op) ?? throw new TransactionFailedException($"{op} is not a validator");
        if (validator.Tombstoned) throw new TransactionFailedException($"validator {op} is jailed for good and takes no delegations");
        if (fromBalance) _accounts.Debit(delegator, AssetSymbol.Native, amount);
        var shares = validator.SharesFor(amount);
        if (shares == 0) throw new TransactionFailedException("amount is too small to buy a share of this validator");
        PutValidator(validator with { Tokens = Amount.Add(validator.Tokens, amount), Shares = Amount.Add(validator.Shares, shares) });
        SetShares(delegator, op, Amount.Add(ReadShares(state, delegator, op), shares));
        return shares;
    }

    /// <summary>Removes bonded tokens from a validator for the delegator; returns the tokens withdrawn.</summary>
    public UInt128 Unbond(Address delegator, Address op, UInt128 amount)
    {
        var validator = GetValidator(op) ?? throw new TransactionFailedException($"{op} is not a validator");
        var held = ReadShares(state, delegator, op);
        if (held == 0) throw new TransactionFailedException($"{delegator} has no delegation to {op}");
        var worth = validator.TokensOf(held);
        if (amount > worth) throw new TransactionFailedException($"{delegator} has {worth} base units bonded to {op}, cannot withdraw {amount}");
        var shares = amount == worth ? held : validator.SharesToWithdraw(amount);
        if (shares > held) shares = held;
        var updated = validator with { Tokens = validator.Tokens - amount, Shares = validator.Shares - shares };
        PutValidator(updated);
        SetShares(delegator, op, held - shares);
        if (delegator == op && updated.TokensOf(held - shares) < parameters.MinSelfBond && !validator.Jailed)
            MarkSetDirty(); // below the minimum self-bond it leaves the active set at the end of this block
        return amount;
    }

    /// <summary>Queues unbonded tokens for release to the delegator at completion time.</summary>
    public void AddUnbonding(Address delegator, Address op, UInt128 amount, ulong completionMs)
    {
        var key = StakingKeys.Unbonding(delegator, op, completionMs);
        var existing = state.Get(key) is { } value ? BinaryPrimitives.ReadUInt128BigEndian(value) : 0;
        state.Set(key, Encode(Amount.Add(existing, amount)));
        state.Set(StakingKeys.UnbondingByValidator(op, completionMs, delegator), []);
        state.Set(StakingKeys.QueueEntry(completionMs, delegator, op), []);
    }

    /// <summary>Releases every unbonding entry whose time has come; returns (delegator, validator, amount).</summary>
    public List<(Address Delegator, Address Validator, UInt128 Amount)> ReleaseMatured(ulong nowMs)
    {
        var released = new List<(Address, Address, UInt128)>();
        foreach (var (key, _) in state.IteratePrefix(StakingKeys.UnbondingQueue))
        {
            var (completion, delegator, op) = StakingKeys.ParseQueueEntry(key);
            if (completion > nowMs) break;
            var entryKey = StakingKeys.Unbonding(delegator, op, completion);
            var amount = state.Get(entryKey) is { } value ? BinaryPrimitives.ReadUInt128BigEndian(value) : 0;
            state.Delete(key);
            state.Delete(entryKey);
            state.Delete(StakingKeys.UnbondingByValidator(op, completion, delegator));
            _accounts.Credit(delegator, AssetSymbol.Native, amount);
            released.Add((delegator, op, amount));
        }
        return released;
    }

    /// <summary>
    /// Burns a fraction of the validator's bonded tokens and of its pending unbonding entries
    /// (unbonding stake stays slashable); returns the total burned.
    /// </summary>
    public UInt128 Slash(Address op, uint ppm)
    {
        var validator = GetValidator(op) ?? throw new InvalidOperationException($"{op} is not a validator");
        var fromBonded = Ppm.Of(validator.Tokens, ppm);
        PutValidator(validator with { Tokens = validator.Tokens - fromBonded });
        var burned = fromBonded;
        foreach (var (key, _) in state.IteratePrefix(StakingKeys.UnbondingsByValidator(op)))
        {
            var (_, completion, delegator) = StakingKeys.ParseUnbondingByValidator(key);
            var entryKey = StakingKeys.Unbonding(delegator, op, completion);
            var amount = BinaryPrimitives.ReadUInt128BigEndian(state.Get(entryKey)!);
            var cut = Ppm.Of(amount, ppm);
            state.Set(entryKey, Encode(amount - cut));
            burned = Amount.Add(burned, cut);
        }
        _accounts.Burn(AssetSymbol.Native, burned);
        return burned;
    }

    public void Jail(Address op, ulong untilMs, bool forever)
    {
        var validator = GetValidator(op)!;
        PutValidator(validator with { Jailed = true, JailedUntilMs = forever ? ulong.MaxValue : untilMs, Tombstoned = validator.Tombstoned || forever });
        state.Delete(StakingKeys.Missed(op));
        MarkSetDirty();
    }

    public void MarkSetDirty() => state.Set(StakingKeys.SetDirtyKey, [1]);

    public bool TakeSetDirty()
    {
        var dirty = state.Get(StakingKeys.SetDirtyKey) is not null;
        if (dirty) state.Delete(StakingKeys.SetDirtyKey);
        return dirty;
    }

    /// <summary>The top max_validators eligible candidates by bonded stake (ties by operator address).</summary>
    public List<ActiveValidator> SelectActive() => ReadValidators(state)
        .Where(v => !v.Jailed && v.Power > 0 && v.TokensOf(ReadShares(state, v.Operator, v.Operator)) >= parameters.MinSelfBond)
        .OrderByDescending(v => v.Tokens).ThenBy(v => v.Operator)
        .Take(parameters.MaxValidators)
        .Select(v => new ActiveValidator(v.Operator, v.ConsensusKey, v.ConsensusAddress, v.Power))
        .ToList();

    /// <summary>Installs a new active set from the next height on, keeping the current one for checking this block's commit.</summary>
    public void ReplaceActiveSet(ulong epoch, ulong effectiveHeight, IReadOnlyList<ActiveValidator> validators)
    {
        if (state.Get(StakingKeys.ActiveSetKey) is { } current) state.Set(StakingKeys.PreviousSetKey, current);
        state.Set(StakingKeys.ActiveSetKey, new ActiveSet(epoch, effectiveHeight, validators).Encode());
    }

    /// <summary>Records whether the validator signed the last block; returns true when its window shows too few signatures.</summary>
    public bool RecordSignature(Address op, bool signed)
    {
        var window = parameters.DowntimeWindowBlocks;
        var value = state.Get(StakingKeys.Missed(op)) is { } stored ? (byte[])stored.Clone() : new byte[16 + (window + 7) / 8];
        var count = BinaryPrimitives.ReadUInt64BigEndian(value);
        var missed = BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(8));
        var bits = value.AsSpan(16);
        var index = (int)(count % (ulong)window);
        var mask = (byte)(1 << (index % 8));
        if ((bits[index / 8] & mask) != 0) missed--;
        if (signed) bits[index / 8] &= (byte)~mask;
        else
        {
            bits[index / 8] |= mask;
            missed++;
        }
        count++;
        BinaryPrimitives.WriteUInt64BigEndian(value, count);
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(8), missed);
        state.Set(StakingKeys.Missed(op), value);
        var signedInWindow = (ulong)window - missed;
        return count >= (ulong)window && signedInWindow * Ppm.One < (ulong)window * parameters.DowntimeMinSignedPpm;
    }

    private void SetShares(Address delegator, Address op, UInt128 shares)
    {
        if (shares == 0) state.Delete(StakingKeys.Delegation(delegator, op));
        else state.Set(StakingKeys.Delegation(delegator, op), Encode(shares));
    }

    private static byte[] Encode(UInt128 value) => StateAmounts.Encode(value);
}
