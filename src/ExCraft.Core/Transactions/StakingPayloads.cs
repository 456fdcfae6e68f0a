using ExCraft.Core.Consensus;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>Commission and slashing rates are parts per million (1,000,000 = 100%).</summary>
public static class Ppm
{
    public const uint One = 1_000_000;

    public static UInt128 Of(UInt128 amount, uint ppm) => amount / One * ppm + amount % One * ppm / One;
}

/// <summary>
/// Declares the sender a validator candidate: its consensus key (33-byte compressed secp256k1,
/// signs votes), moniker, commission (rate, maximum, maximum change per day; the last two fixed
/// for good) and a self-bond in EXT base units taken from its balance.
/// </summary>
[TxPayloadKind(TxKind.CreateValidator, "create_validator")]
public sealed record CreateValidatorPayload(byte[] ConsensusKey, string Moniker, uint CommissionPpm, uint MaxCommissionPpm, uint MaxDailyChangePpm, UInt128 SelfBond) : TxPayload
{
    public const int MaxMonikerLength = 64;

    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(ConsensusKey), Rlp.EncodeString(Moniker), Rlp.EncodeUInt(CommissionPpm),
        Rlp.EncodeUInt(MaxCommissionPpm), Rlp.EncodeUInt(MaxDailyChangePpm), Rlp.EncodeUInt(SelfBond));

    public override IReadOnlyList<PayloadField> Describe() =>
    [
        PayloadField.Bytes("consensusKey", "consensus key", ConsensusKey), PayloadField.Text("moniker", "moniker", Moniker),
        PayloadField.Ppm("commissionPpm", "commission", CommissionPpm), PayloadField.Ppm("maxCommissionPpm", "max commission", MaxCommissionPpm),
        PayloadField.Ppm("maxDailyChangePpm", "max daily change", MaxDailyChangePpm), PayloadField.Amount("selfBond", "self-bond", SelfBond, AssetSymbol.Native),
    ];

    internal static CreateValidatorPayload Decode(RlpItem item)
    {
        var f = item.ListOf(6, "create_validator payload");
        return new CreateValidatorPayload(f[0].Bytes, f[1].AsUtf8(), Rate(f[2]), Rate(f[3]), Rate(f[4]), f[5].AsUInt128());
    }

    internal static uint Rate(RlpItem item)
    {
        var value = item.AsUInt64();
        return value <= Ppm.One ? (uint)value : throw new RlpException($"rate {value} ppm exceeds 100%");
    }
}

/// <summary>Changes the sender's validator moniker and commission (within its maximum and daily change).</summary>
[TxPayloadKind(TxKind.EditValidator, "edit_validator")]
public sealed record EditValidatorPayload(string Moniker, uint CommissionPpm) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeString(Moniker), Rlp.EncodeUInt(CommissionPpm));

    public override IReadOnlyList<PayloadField> Describe() =>
        [PayloadField.Text("moniker", "moniker", Moniker), PayloadField.Ppm("commissionPpm", "commission", CommissionPpm)];

    internal static EditValidatorPayload Decode(RlpItem item)
    {
        var f = item.ListOf(2, "edit_validator payload");
        return new EditValidatorPayload(f[0].AsUtf8(), CreateValidatorPayload.Rate(f[1]));
    }
}

/// <summary>Bonds EXT from the sender's balance to a validator.</summary>
[TxPayloadKind(TxKind.Delegate, "delegate")]
public sealed record DelegatePayload(Address Validator, UInt128 Amount) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(Validator.ToBytes()), Rlp.EncodeUInt(Amount));

    public override IReadOnlyList<PayloadField> Describe() =>
        [PayloadField.Address("validator", "validator", Validator), PayloadField.Amount("amount", "amount", Amount, AssetSymbol.Native)];

    internal static DelegatePayload Decode(RlpItem item)
    {
        var f = item.ListOf(2, "delegate payload");
        return new DelegatePayload(new Address(f[0].AsFixed(Address.Length, "validator")), f[1].AsUInt128());
    }
}

/// <summary>Starts unbonding an amount from a validator; it returns to the balance after the unbonding period.</summary>
[TxPayloadKind(TxKind.Undelegate, "undelegate")]
public sealed record UndelegatePayload(Address Validator, UInt128 Amount) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(Validator.ToBytes()), Rlp.EncodeUInt(Amount));

    public override IReadOnlyList<PayloadField> Describe() =>
        [PayloadField.Address("validator", "validator", Validator), PayloadField.Amount("amount", "amount", Amount, AssetSymbol.Native)];

    internal static UndelegatePayload Decode(RlpItem item)
    {
        var f = item.ListOf(2, "undelegate payload");
        return new UndelegatePayload(new Address(f[0].AsFixed(Address.Length, "validator")), f[1].AsUInt128());
    }
}

/// <summary>Moves bonded stake from one validator to another at once.</summary>
[TxPayloadKind(TxKind.Redelegate, "redelegate")]
public sealed record RedelegatePayload(Address From, Address To, UInt128 Amount) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(From.ToBytes()), Rlp.EncodeBytes(To.ToBytes()), Rlp.EncodeUInt(Amount));

    public override IReadOnlyList<PayloadField> Describe() =>
    [
        PayloadField.Address("from", "from validator", From), PayloadField.Address("to", "to validator", To),
        PayloadField.Amount("amount", "amount", Amount, AssetSymbol.Native),
    ];

    internal static RedelegatePayload Decode(RlpItem item)
    {
        var f = item.ListOf(3, "redelegate payload");
        return new RedelegatePayload(new Address(f[0].AsFixed(Address.Length, "source validator")), new Address(f[1].AsFixed(Address.Length, "destination validator")), f[2].AsUInt128());
    }
}

/// <summary>Returns the sender's validator from jail once its jail time is over (not after double-signing).</summary>
[TxPayloadKind(TxKind.Unjail, "unjail")]
public sealed record UnjailPayload : TxPayload
{
    public override byte[] Encode() => Rlp.EmptyList;

    public override IReadOnlyList<PayloadField> Describe() => [];

    internal static UnjailPayload Decode(RlpItem item)
    {
        item.ListOf(0, "unjail payload");
        return new UnjailPayload();
    }
}

/// <summary>Submits proof that a validator signed two conflicting votes.</summary>
[TxPayloadKind(TxKind.SubmitEvidence, "submit_evidence")]
public sealed record SubmitEvidencePayload(DoubleSignEvidence Evidence) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Evidence.Encode());

    /// <summary>The offender and the vote's height and round; the votes themselves are in the raw bytes.</summary>
    public override IReadOnlyList<PayloadField> Describe() =>
    [
        PayloadField.Address("validator", "offender", Evidence.A.Validator), PayloadField.Integer("height", "vote height", Evidence.A.Height),
        PayloadField.Integer("round", "vote round", (ulong)Evidence.A.Round),
    ];

    internal static SubmitEvidencePayload Decode(RlpItem item) =>
        new(DoubleSignEvidence.Decode(item.ListOf(1, "submit_evidence payload")[0]));
}
