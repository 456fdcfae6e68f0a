using ExCraft.Chain.Execution;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>revoke_agent (kind 27): the sender withdraws an agent's authorization, from the next transaction on.</summary>
public sealed class RevokeAgentHandler : TxHandler<RevokeAgentPayload>
{
    protected override IReadOnlyList<AssetAmount> Spend(RevokeAgentPayload p) => [];

    protected override void Apply(TxContext c, RevokeAgentPayload p)
    {
        if (MarketsState.ReadAgentExpiry(c.State, c.Sender, p.Agent) == 0)
            throw new TransactionFailedException($"{p.Agent} is not an agent of {c.Sender}");
        new MarketsState(c.State).SetAgent(c.Sender, p.Agent, 0);
        c.Emit(ChainEvent.Of(MarketsModule.Events.AgentRevoked, ("account", c.Sender.ToString()), ("agent", p.Agent.ToString())));
    }
}
