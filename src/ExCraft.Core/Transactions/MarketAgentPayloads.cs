using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>
/// Authorizes Agent (another key's address) to trade for the sender on every market until
/// ExpiryHeight (it may act in blocks below it): place, cancel, amend, batch, cancel_all and
/// set_cancel_deadline, through agent_action, and nothing else. Sending it again for the same agent
/// replaces the expiry.
/// </summary>
[TxPayloadKind(TxKind.AuthorizeAgent, "authorize_agent")]
public sealed record AuthorizeAgentPayload(Address Agent, ulong ExpiryHeight) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(Agent.ToBytes()), Rlp.EncodeUInt(ExpiryHeight));

    public override IReadOnlyList<PayloadField> Describe() =>
        [PayloadField.Address("agent", "agent", Agent), PayloadField.Integer("expiryHeight", "valid below height", ExpiryHeight)];

    internal static AuthorizeAgentPayload Decode(RlpItem item)
    {
        var f = item.ListOf(2, "authorize_agent payload");
        return new AuthorizeAgentPayload(new Address(f[0].AsFixed(Address.Length, "agent")), f[1].AsUInt64());
    }
}

/// <summary>Withdraws the sender's authorization of Agent at once.</summary>
[TxPayloadKind(TxKind.RevokeAgent, "revoke_agent")]
public sealed record RevokeAgentPayload(Address Agent) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(Agent.ToBytes()));

    public override IReadOnlyList<PayloadField> Describe() => [PayloadField.Address("agent", "agent", Agent)];

    internal static RevokeAgentPayload Decode(RlpItem item) =>
        new(new Address(item.ListOf(1, "revoke_agent payload")[0].AsFixed(Address.Length, "agent")));
}

/// <summary>
/// Sent and signed by an agent key: runs Action for Account, which must have authorized the agent
/// (docs/markets.md, "Agent keys"). Encoded as [account, kind, payload]. Any kind decodes (so a
/// refusal can name it) except a nested agent_action; only the market kinds of
/// <see cref="IsAllowed"/> pass the handler's check.
/// </summary>
[TxPayloadKind(TxKind.AgentAction, "agent_action")]
public sealed record AgentActionPayload(Address Account, TxPayload Action) : TxPayload
{
    /// <summary>What an agent key may do for its account: order changes and the dead-man's switch, never a transfer, withdrawal or anything else.</summary>
    public static bool IsAllowed(TxKind kind) => kind is TxKind.PlaceOrder or TxKind.CancelOrder or TxKind.CancelAll or TxKind.AmendOrder
        or TxKind.SetCancelDeadline or TxKind.BatchOrders;

    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(Account.ToBytes()), Rlp.EncodeUInt((byte)Action.Kind), Action.Encode());

    public override IReadOnlyList<PayloadField> Describe() =>
    [
        PayloadField.Address("account", "for account", Account), PayloadField.Text("action", "action", Action.Name),
        PayloadField.Text("actionPayload", "action fields", string.Join(" ", Action.Describe().Select(f => f.ValueText))),
    ];

    internal static AgentActionPayload Decode(RlpItem item)
    {
        var f = item.ListOf(3, "agent_action payload");
        var kind = (TxKind)PlaceOrderPayload.Small(f[1]);
        if (kind == TxKind.AgentAction) throw new RlpException("agent_action cannot carry another agent_action");
        return new AgentActionPayload(new Address(f[0].AsFixed(Address.Length, "account")), TxPayloadCatalog.Decode(kind, f[2]));
    }
}
