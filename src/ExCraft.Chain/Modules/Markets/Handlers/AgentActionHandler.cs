using ExCraft.Chain.Execution;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>
/// agent_action (kind 28), signed by an agent key: runs a market action (place, cancel, amend,
/// batch, cancel_all, set_cancel_deadline) for the account that authorized the agent. The agent's
/// own nonce is used (so the account and its agents never race for one nonce sequence) and the
/// account pays the fee while the authorization holds (so the agent key needs no funds: a leaked
/// agent key can do no more than trade and pay fees, and holds nothing to steal). When it does not
/// hold, the agent itself is the fee payer and the action fails.
/// </summary>
public sealed class AgentActionHandler : TxHandler<AgentActionPayload>
{
    protected override string? CheckStateless(AgentActionPayload p)
    {
        if (!AgentActionPayload.IsAllowed(p.Action.Kind))
            return $"an agent key may only place, cancel, amend, batch, cancel_all and set_cancel_deadline for its account, not {p.Action.Name}";
        if (p.Account == Address.Zero) return "agent_action names no account";
        return MarketActions.CheckStateless(p.Action) is { } error ? $"agent {p.Action.Name}: {error}" : null;
    }

    /// <summary>What the action takes comes from the account, not from the agent that sends it, so nothing is declared for the sender.</summary>
    protected override IReadOnlyList<AssetAmount> Spend(AgentActionPayload p) => [];

    /// <summary>
    /// The account, while the agent is authorized at this height (height 0: the mempool, which
    /// does not know the next block's height, checks only that an authorization exists).
    /// </summary>
    protected override Address FeePayer(IStateReader state, AgentActionPayload p, Address sender, ulong height) =>
        MarketsState.ReadAgentExpiry(state, p.Account, sender) is var expiry && expiry != 0 && expiry > height ? p.Account : sender;

    protected override void Apply(TxContext c, AgentActionPayload p)
    {
        var expiry = MarketsState.ReadAgentExpiry(c.State, p.Account, c.Sender);
        if (expiry == 0) throw new TransactionFailedException($"{c.Sender} is not an authorized agent of {p.Account} (never authorized, or revoked)");
        if (expiry <= c.Block.Height) throw new TransactionFailedException($"the agent authorization of {c.Sender} for {p.Account} expired at height {expiry}");
        MarketActions.Run(c, p.Account, p.Action);
    }
}
