using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Staking.Handlers;

/// <summary>edit_validator (kind 11): changes the sender's moniker and commission, within its maximum and daily change, at most once a day.</summary>
public sealed class EditValidatorHandler(StakingParameters parameters) : StakingTxHandler<EditValidatorPayload>(parameters)
{
    public const ulong DayMs = 86_400_000;

    protected override string? CheckStateless(EditValidatorPayload p) => CheckMoniker(p.Moniker);

    protected override IReadOnlyList<AssetAmount> Spend(EditValidatorPayload p) => [];

    protected override void Apply(TxContext c, EditValidatorPayload p)
    {
        var staking = Staking(c);
        var v = staking.GetValidator(c.Sender) ?? throw new TransactionFailedException($"{c.Sender} is not a validator");
        if (p.CommissionPpm != v.CommissionPpm)
        {
            if (p.CommissionPpm > v.MaxCommissionPpm) throw new TransactionFailedException($"commission {p.CommissionPpm} ppm exceeds the maximum {v.MaxCommissionPpm} ppm");
            var change = p.CommissionPpm > v.CommissionPpm ? p.CommissionPpm - v.CommissionPpm : v.CommissionPpm - p.CommissionPpm;
            if (change > v.MaxDailyChangePpm) throw new TransactionFailedException($"commission may change by at most {v.MaxDailyChangePpm} ppm a day, asked {change}");
            if (c.Block.TimeMs < v.CommissionChangedMs + DayMs) throw new TransactionFailedException("commission was already changed in the last 24 hours");
            v = v with { CommissionPpm = p.CommissionPpm, CommissionChangedMs = c.Block.TimeMs };
        }
        staking.PutValidator(v with { Moniker = p.Moniker });
        c.Emit(ChainEvent.Of(StakingModule.Events.ValidatorEdited, ("operator", c.Sender.ToString()), ("commission_ppm", v.CommissionPpm.ToString(CultureInfo.InvariantCulture))));
    }
}
