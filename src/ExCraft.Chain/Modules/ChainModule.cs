using ExCraft.Chain.State;
using ExCraft.Core.Genesis;

namespace ExCraft.Chain.Modules;

/// <summary>
/// One module of the state machine, declared in one class (docs/ARCHITECTURE.md, "How to add a
/// module"). Name is its RPC namespace, genesis key and CLI group; every state key it writes
/// starts with KeyPrefix (built with <see cref="StateKey"/>); Handlers are its transaction kinds
/// (numbers from its block in docs/spec/transactions.md); EventTypes are the event names it
/// emits, declared as constants. Hooks default to nothing; <see cref="ModuleRegistry"/> runs them
/// in its declared order.
/// </summary>
public abstract class ChainModule
{
    public abstract string Name { get; }

    public abstract byte[] KeyPrefix { get; }

    public abstract IReadOnlyList<ITxHandler> Handlers { get; }

    public abstract IReadOnlyList<string> EventTypes { get; }

    /// <summary>Before the block's transactions.</summary>
    public virtual void BeginBlock(BlockHookContext context) { }

    /// <summary>After the block's transactions.</summary>
    public virtual void EndBlock(BlockHookContext context) { }

    /// <summary>After every module's EndBlock, in the last block of an epoch (context.Block.EndsEpoch); the next epoch is Block.Epoch + 1.</summary>
    public virtual void EpochEnd(BlockHookContext context) { }

    /// <summary>Checks the module's part of the genesis file beyond what parsing checked; throws GenesisException.</summary>
    public virtual void ValidateGenesis(GenesisConfig genesis) { }

    /// <summary>Writes the module's genesis state; modules run in registry order, so a module may rely on those before it.</summary>
    public virtual void InitGenesis(GenesisConfig genesis, StateOverlay state) { }
}
