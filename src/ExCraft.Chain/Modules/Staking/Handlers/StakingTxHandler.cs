using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Staking.Handlers;

/// <summary>The base of the staking handlers: staking state over the transaction's overlay, with the chain's staking parameters.</summary>
public abstract class StakingTxHandler<TPayload>(StakingParameters parameters) : TxHandler<TPayload> where TPayload : TxPayload
{
    protected StakingParameters Parameters => parameters;

    protected StakingState Staking(TxContext c) => new(c.State, parameters);

    protected static string? CheckMoniker(string moniker) =>
        moniker.Length is 0 or > CreateValidatorPayload.MaxMonikerLength ? $"moniker must be 1 to {CreateValidatorPayload.MaxMonikerLength} characters" : null;
}
