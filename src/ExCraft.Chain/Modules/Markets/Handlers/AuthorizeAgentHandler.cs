using ExCraft.Chain.Execution;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>
/// authorize_agent (kind 26): the sender lets another key trade for it through agent_action until
/// the expiry height. Sent again for the same agent it replaces the expiry. An account has at most
/// <see cref="MaxAgentsPerAccount"/> agents, so the per-account state stays small.
/// </summary>
public sealed class AuthorizeAgentHandler : TxHandler<AuthorizeAgentPayload>
{
    public const int MaxAgentsPerAccount = 8;

    protected override string? CheckStateless(AuthorizeAgentPayload p) =>
        p.Agent == Address.Zero ? "the agent address is zero" : p.ExpiryHeight == 0 ? "an agent authorization needs an expiry height" : null;

    protected override IReadOnlyList<AssetAmount> Spend(AuthorizeAgentPayload p) => [];

    protected override void Apply(TxContext c, AuthorizeAgentPayload p)
    {
        if (p.Agent == c.Sender) throw new TransactionFailedException("an account cannot be its own agent");
        if (p.ExpiryHeight <= c.Block.Height)
            throw new TransactionFailedException($"agent expiry height {p.ExpiryHeight} is not above the current block {c.Block.Height}");
        var agents = MarketsState.ReadAgents(c.State, c.Sender);
        if (agents.Count >= MaxAgentsPerAccount && agents.All(a => a.Agent != p.Agent))
            throw new TransactionFailedException($"account {c.Sender} already has {agents.Count} agents (limit {MaxAgentsPerAccount}); revoke one first");
        new MarketsState(c.State).SetAgent(c.Sender, p.Agent, p.ExpiryHeight);
        c.Emit(ChainEvent.Of(MarketsModule.Events.AgentAuthorized, ("account", c.Sender.ToString()), ("agent", p.Agent.ToString()),
            ("expiryHeight", p.ExpiryHeight.ToString())));
    }
}
