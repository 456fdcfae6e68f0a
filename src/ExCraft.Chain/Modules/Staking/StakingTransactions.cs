using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Staking;

/// <summary>Applies the staking transactions (SPEC 4) and reports their events.</summary>
public sealed class StakingTransactions(ulong chainId)
{
    public const ulong DayMs = 86_400_000;

    public bool Handles(TxPayload payload) => payload.Kind is >= TxKind.CreateValidator and <= TxKind.SubmitEvidence;

    public void Apply(StakingState staking, TxPayload payload, Address sender, BlockContext block, List<ChainEvent> events)
    {
        var p = staking.Parameters;
        switch (payload)
        {
            case CreateValidatorPayload c:
                var created = staking.CreateValidator(sender, c.ConsensusKey, c.Moniker, c.CommissionPpm, c.MaxCommissionPpm, c.MaxDailyChangePpm, c.SelfBond, block.Height, block.TimeMs, fromBalance: true);
                events.Add(ChainEvent.Of("validator_created", ("operator", sender.ToString()), ("consensus_address", created.ConsensusAddress.ToString()), ("self_bond", ChainEvent.Units(c.SelfBond))));
                break;
            case EditValidatorPayload e:
                var v = staking.GetValidator(sender) ?? throw new TransactionFailedException($"{sender} is not a validator");
                if (e.CommissionPpm != v.CommissionPpm)
                {
                    if (e.CommissionPpm > v.MaxCommissionPpm) throw new TransactionFailedException($"commission {e.CommissionPpm} ppm exceeds the maximum {v.MaxCommissionPpm} ppm");
                    var change = e.CommissionPpm > v.CommissionPpm ? e.CommissionPpm - v.CommissionPpm : v.CommissionPpm - e.CommissionPpm;
                    if (change > v.MaxDailyChangePpm) throw new TransactionFailedException($"commission may change by at most {v.MaxDailyChangePpm} ppm a day, asked {change}");
                    if (block.TimeMs < v.CommissionChangedMs + DayMs) throw new TransactionFailedException("commission was already changed in the last 24 hours");
                    v = v with { CommissionPpm = e.CommissionPpm, CommissionChangedMs = block.TimeMs };
                }
                staking.PutValidator(v with { Moniker = e.Moniker });
                events.Add(ChainEvent.Of("validator_edited", ("operator", sender.ToString()), ("commission_ppm", v.CommissionPpm.ToString(CultureInfo.InvariantCulture))));
                break;
            case DelegatePayload d:
                staking.Delegate(sender, d.Validator, d.Amount);
                events.Add(ChainEvent.Of("delegated", ("delegator", sender.ToString()), ("validator", d.Validator.ToString()), ("amount", ChainEvent.Units(d.Amount))));
                break;
            case UndelegatePayload u:
                staking.Unbond(sender, u.Validator, u.Amount);
                var completion = block.TimeMs + p.UnbondingPeriodMs;
                staking.AddUnbonding(sender, u.Validator, u.Amount, completion);
                events.Add(ChainEvent.Of("unbonding_started", ("delegator", sender.ToString()), ("validator", u.Validator.ToString()), ("amount", ChainEvent.Units(u.Amount)), ("completion_ms", completion.ToString(CultureInfo.InvariantCulture))));
                break;
            case RedelegatePayload r:
                staking.Unbond(sender, r.From, r.Amount);
                staking.Delegate(sender, r.To, r.Amount, fromBalance: false);
                events.Add(ChainEvent.Of("redelegated", ("delegator", sender.ToString()), ("from", r.From.ToString()), ("to", r.To.ToString()), ("amount", ChainEvent.Units(r.Amount))));
                break;
            case UnjailPayload:
                var jailed = staking.GetValidator(sender) ?? throw new TransactionFailedException($"{sender} is not a validator");
                if (!jailed.Jailed) throw new TransactionFailedException($"validator {sender} is not jailed");
                if (jailed.Tombstoned) throw new TransactionFailedException($"validator {sender} double-signed and is jailed for good");
                if (block.TimeMs < jailed.JailedUntilMs) throw new TransactionFailedException($"validator {sender} is jailed until {jailed.JailedUntilMs} ms, now {block.TimeMs}");
                staking.PutValidator(jailed with { Jailed = false, JailedUntilMs = 0 });
                events.Add(ChainEvent.Of("unjailed", ("operator", sender.ToString())));
                break;
            case SubmitEvidencePayload s:
                if (!s.Evidence.Verify(chainId, out var error)) throw new TransactionFailedException($"invalid evidence: {error}");
                if (s.Evidence.A.Height > block.Height) throw new TransactionFailedException("evidence is from a future height");
                var op = StakingState.ReadOperatorOf(staking.Overlay, s.Evidence.A.Validator) ?? throw new TransactionFailedException($"{s.Evidence.A.Validator} is not a validator's consensus address");
                var offender = staking.GetValidator(op)!;
                if (offender.Tombstoned) throw new TransactionFailedException($"validator {op} was already slashed for double-signing");
                var burned = staking.Slash(op, p.DoubleSignSlashPpm);
                staking.Jail(op, 0, forever: true);
                events.Add(ChainEvent.Of("slashed", ("operator", op.ToString()), ("reason", "double_sign"), ("height", s.Evidence.A.Height.ToString(CultureInfo.InvariantCulture)), ("burned", ChainEvent.Units(burned)), ("reporter", sender.ToString())));
                break;
            default:
                throw new TransactionFailedException($"transaction kind {payload.Kind} is not a staking transaction");
        }
    }
}
