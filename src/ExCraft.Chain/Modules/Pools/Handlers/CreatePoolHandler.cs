using ExCraft.Chain.Execution;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Pools.Handlers;

/// <summary>create_pool (kind 50): locks the creation stake from the sender's EXT and records a new pool (next id) with the sender as master; the name must be free among live pools.</summary>
public sealed class CreatePoolHandler(PoolsParameters parameters) : TxHandler<CreatePoolPayload>
{
    protected override string? CheckStateless(CreatePoolPayload p) => PoolNames.Check(p.PoolName) ?? PoolHandlerChecks.Retained(p.RetainedPpm);

    protected override IReadOnlyList<AssetAmount> Spend(CreatePoolPayload p) => [new(AssetSymbol.Native, parameters.CreationStake)];

    protected override void Apply(TxContext c, CreatePoolPayload p)
    {
        if (PoolsState.ReadPoolIdByName(c.State, p.PoolName) is { } taken) throw new TransactionFailedException($"pool name {p.PoolName} is taken by pool {taken}");
        var balance = c.Accounts.GetBalance(c.Sender, AssetSymbol.Native);
        if (balance < parameters.CreationStake)
            throw new TransactionFailedException($"creating a pool locks {Core.Amount.Format(parameters.CreationStake)} EXT but {c.Sender} holds {Core.Amount.Format(balance)} EXT");
        c.Accounts.Debit(c.Sender, AssetSymbol.Native, parameters.CreationStake);
        PoolsState.WriteLocked(c.State, Core.Amount.Add(PoolsState.ReadLocked(c.State), parameters.CreationStake));
        var id = PoolsState.TakeNextId(c.State);
        var epoch = c.Block.Epoch;
        PoolsState.WritePool(c.State, new PoolRecord(id, p.PoolName, c.Sender, p.RetainedPpm, p.RetainedPpm, epoch, parameters.CreationStake,
            epoch, c.Block.Height, 0, false, 0, false));
        PoolsState.WriteName(c.State, p.PoolName, id);
        c.Emit(ChainEvent.Of(PoolsModule.Events.Created, ("pool", PoolsModule.Text(id)), ("name", p.PoolName), ("master", c.Sender.ToString()),
            ("retainedPpm", PoolsModule.Text(p.RetainedPpm)), ("stake", ChainEvent.Units(parameters.CreationStake))));
    }
}
