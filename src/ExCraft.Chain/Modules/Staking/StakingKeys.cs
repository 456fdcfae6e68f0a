using ExCraft.Core;

namespace ExCraft.Chain.Modules.Staking;

/// <summary>
/// State keys of the staking module: prefix 0x02, then a tag per record kind. Unbonding entries
/// are stored three ways: by delegator (for wallets), by validator (to slash them) and by
/// completion time (to release them in order). Keys are parsed back only here.
/// </summary>
public static class StakingKeys
{
    public static readonly byte[] Prefix = [0x02];

    private const byte ValidatorTag = (byte)'v';
    private const byte ConsensusTag = (byte)'c';
    private const byte DelegationTag = (byte)'d';
    private const byte MissedTag = (byte)'m';
    private const byte UnbondingTag = (byte)'u';
    private const byte ByValidatorTag = (byte)'w';
    private const byte QueueTag = (byte)'q';

    public static readonly byte[] AllValidators = StateKey.Of(Prefix, ValidatorTag).Build();
    public static readonly byte[] ActiveSetKey = StateKey.Of(Prefix, (byte)'A').Build();
    public static readonly byte[] PreviousSetKey = StateKey.Of(Prefix, (byte)'P').Build();
    public static readonly byte[] SetDirtyKey = StateKey.Of(Prefix, (byte)'D').Build();
    public static readonly byte[] UnbondingQueue = StateKey.Of(Prefix, QueueTag).Build();
    public static readonly byte[] AllDelegations = StateKey.Of(Prefix, DelegationTag).Build();
    public static readonly byte[] AllUnbondings = StateKey.Of(Prefix, UnbondingTag).Build();

    public static byte[] Validator(Address op) => StateKey.Of(Prefix, ValidatorTag).Address(op).Build();

    public static Address OperatorOfValidatorKey(byte[] key) => new StateKeyReader(key, Prefix.Length).Address();

    public static byte[] ConsensusToOperator(Address consensus) => StateKey.Of(Prefix, ConsensusTag).Address(consensus).Build();

    public static byte[] Delegation(Address delegator, Address validator) => StateKey.Of(Prefix, DelegationTag).Address(delegator).Address(validator).Build();

    public static byte[] DelegationsOf(Address delegator) => StateKey.Of(Prefix, DelegationTag).Address(delegator).Build();

    public static Address ValidatorOfDelegation(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        reader.Address();
        return reader.Address();
    }

    /// <summary>(delegator, validator) of a delegation key.</summary>
    public static (Address Delegator, Address Validator) ParseDelegation(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        return (reader.Address(), reader.Address());
    }

    public static byte[] Missed(Address validator) => StateKey.Of(Prefix, MissedTag).Address(validator).Build();

    public static byte[] Unbonding(Address delegator, Address validator, ulong completionMs) =>
        StateKey.Of(Prefix, UnbondingTag).Address(delegator).Address(validator).UInt64(completionMs).Build();

    public static byte[] UnbondingsOf(Address delegator) => StateKey.Of(Prefix, UnbondingTag).Address(delegator).Build();

    public static (Address Delegator, Address Validator, ulong CompletionMs) ParseUnbonding(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        return (reader.Address(), reader.Address(), reader.UInt64());
    }

    public static byte[] UnbondingByValidator(Address validator, ulong completionMs, Address delegator) =>
        StateKey.Of(Prefix, ByValidatorTag).Address(validator).UInt64(completionMs).Address(delegator).Build();

    public static byte[] UnbondingsByValidator(Address validator) => StateKey.Of(Prefix, ByValidatorTag).Address(validator).Build();

    public static (Address Validator, ulong CompletionMs, Address Delegator) ParseUnbondingByValidator(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        return (reader.Address(), reader.UInt64(), reader.Address());
    }

    public static byte[] QueueEntry(ulong completionMs, Address delegator, Address validator) =>
        StateKey.Of(Prefix, QueueTag).UInt64(completionMs).Address(delegator).Address(validator).Build();

    public static (ulong CompletionMs, Address Delegator, Address Validator) ParseQueueEntry(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        return (reader.UInt64(), reader.Address(), reader.Address());
    }
}
