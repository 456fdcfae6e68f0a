using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Staking.Handlers;

/// <summary>submit_evidence (kind 16): proof that a validator signed two conflicting votes; slashes and jails it for good.</summary>
public sealed class SubmitEvidenceHandler(ulong chainId, StakingParameters parameters) : StakingTxHandler<SubmitEvidencePayload>(parameters)
{
    protected override IReadOnlyList<AssetAmount> Spend(SubmitEvidencePayload p) => [];

    protected override void Apply(TxContext c, SubmitEvidencePayload p)
    {
        var evidence = p.Evidence;
        if (!evidence.Verify(chainId, out var error)) throw new TransactionFailedException($"invalid evidence: {error}");
        if (evidence.A.Height > c.Block.Height) throw new TransactionFailedException("evidence is from a future height");
        var staking = Staking(c);
        var op = StakingState.ReadOperatorOf(c.State, evidence.A.Validator) ?? throw new TransactionFailedException($"{evidence.A.Validator} is not a validator's consensus address");
        var offender = staking.GetValidator(op)!;
        if (offender.Tombstoned) throw new TransactionFailedException($"validator {op} was already slashed for double-signing");
        var burned = staking.Slash(op, Parameters.DoubleSignSlashPpm);
        staking.Jail(op, 0, forever: true);
        c.Emit(ChainEvent.Of(StakingModule.Events.Slashed, ("operator", op.ToString()), ("reason", "double_sign"), ("height", evidence.A.Height.ToString(CultureInfo.InvariantCulture)),
            ("burned", ChainEvent.Units(burned)), ("reporter", c.Sender.ToString())));
    }
}
