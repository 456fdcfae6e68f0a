using ExCraft.Chain.Execution;
using ExCraft.Core.Crypto;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Staking.Handlers;

/// <summary>create_validator (kind 10): declares the sender a validator candidate, bonding its self-bond from its balance.</summary>
public sealed class CreateValidatorHandler(StakingParameters parameters) : StakingTxHandler<CreateValidatorPayload>(parameters)
{
    protected override string? CheckStateless(CreateValidatorPayload p)
    {
        if (!PublicKey.TryParse(p.ConsensusKey, out _, out var error) || p.ConsensusKey.Length != PublicKey.CompressedLength)
            return $"consensus key must be a 33-byte compressed secp256k1 public key{(error.Length > 0 ? ": " + error : "")}";
        if (CheckMoniker(p.Moniker) is { } monikerError) return monikerError;
        if (p.MaxCommissionPpm > Ppm.One) return "maximum commission cannot exceed 100%";
        if (p.CommissionPpm > p.MaxCommissionPpm) return "commission cannot exceed the maximum commission";
        if (p.MaxDailyChangePpm > p.MaxCommissionPpm) return "maximum daily change cannot exceed the maximum commission";
        return p.SelfBond == 0 ? "self-bond must be greater than zero" : null;
    }

    protected override IReadOnlyList<AssetAmount> Spend(CreateValidatorPayload p) => [new(AssetSymbol.Native, p.SelfBond)];

    protected override void Apply(TxContext c, CreateValidatorPayload p)
    {
        var created = Staking(c).CreateValidator(c.Sender, p.ConsensusKey, p.Moniker, p.CommissionPpm, p.MaxCommissionPpm, p.MaxDailyChangePpm, p.SelfBond,
            c.Block.Height, c.Block.TimeMs, fromBalance: true);
        c.Emit(ChainEvent.Of(StakingModule.Events.ValidatorCreated, ("operator", c.Sender.ToString()), ("consensus_address", created.ConsensusAddress.ToString()),
            ("self_bond", ChainEvent.Units(p.SelfBond))));
    }
}
