using ExCraft.Chain.Execution;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Accounts;

/// <summary>register (kind 3): opts the sender in to PoE publication and rewards, once.</summary>
public sealed class RegisterHandler : TxHandler<RegisterPayload>
{
    protected override IReadOnlyList<AssetAmount> Spend(RegisterPayload p) => [];

    protected override void Apply(TxContext c, RegisterPayload p)
    {
        if (c.Accounts.IsRegistered(c.Sender)) throw new TransactionFailedException($"account {c.Sender} is already registered");
        c.Accounts.SetRegistered(c.Sender);
        c.Emit(ChainEvent.Of(AccountsModule.Events.Registered, ("account", c.Sender.ToString())));
    }
}
