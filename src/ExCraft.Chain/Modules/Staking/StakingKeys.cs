using System.Buffers.Binary;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Staking;

/// <summary>
/// State keys of the staking module. Unbonding entries are stored three ways: by delegator (for
/// wallets), by validator (to slash them) and by completion time (to release them in order).
/// </summary>
public static class StakingKeys
{
    public static readonly byte[] AllValidators = [(byte)'v'];
    public static readonly byte[] ActiveSetKey = "ea"u8.ToArray();
    public static readonly byte[] PreviousSetKey = "ep"u8.ToArray();
    public static readonly byte[] EpochKey = "ee"u8.ToArray();
    public static readonly byte[] SetDirtyKey = "ed"u8.ToArray();
    public static readonly byte[] UnbondingQueue = [(byte)'q'];

    public static byte[] Validator(Address op) => Compose((byte)'v', op);

    public static byte[] ConsensusToOperator(Address consensus) => Compose((byte)'c', consensus);

    public static byte[] Delegation(Address delegator, Address validator) => Compose((byte)'d', delegator, validator);

    public static byte[] DelegationsOf(Address delegator) => Compose((byte)'d', delegator);

    public static byte[] Missed(Address validator) => Compose((byte)'m', validator);

    public static byte[] Unbonding(Address delegator, Address validator, ulong completionMs) => Compose((byte)'u', delegator, validator, completionMs);

    public static byte[] UnbondingsOf(Address delegator) => Compose((byte)'u', delegator);

    public static byte[] UnbondingByValidator(Address validator, ulong completionMs, Address delegator) => Compose((byte)'w', validator, completionMs, delegator);

    public static byte[] UnbondingsByValidator(Address validator) => Compose((byte)'w', validator);

    public static byte[] QueueEntry(ulong completionMs, Address delegator, Address validator) => Compose((byte)'q', completionMs, delegator, validator);

    public static Address ValidatorOfDelegation(byte[] key) => AddressAt(key, 1 + Address.Length);

    public static (Address Delegator, Address Validator, ulong CompletionMs) ParseUnbonding(byte[] key) =>
        (AddressAt(key, 1), AddressAt(key, 1 + Address.Length), TimeAt(key, 1 + 2 * Address.Length));

    public static Address AddressAt(byte[] key, int offset) => new(key.AsSpan(offset, Address.Length));

    public static ulong TimeAt(byte[] key, int offset) => BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(offset, 8));

    private static byte[] Compose(byte prefix, params object[] parts)
    {
        var key = new List<byte> { prefix };
        foreach (var part in parts)
        {
            switch (part)
            {
                case Address a: key.AddRange(a.ToBytes()); break;
                case ulong t:
                    var bytes = new byte[8];
                    BinaryPrimitives.WriteUInt64BigEndian(bytes, t);
                    key.AddRange(bytes);
                    break;
                default: throw new ArgumentException($"cannot put {part.GetType()} in a key");
            }
        }
        return [.. key];
    }
}
