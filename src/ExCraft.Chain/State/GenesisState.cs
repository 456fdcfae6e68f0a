using ExCraft.Chain.Modules;
using ExCraft.Core.Genesis;

namespace ExCraft.Chain.State;

/// <summary>The state a genesis file describes: each module's genesis, in registry order, and epoch 0 starting at genesis time.</summary>
public static class GenesisState
{
    public static StateOverlay Build(GenesisConfig genesis, IStateReader empty, ModuleRegistry? modules = null)
    {
        modules ??= ModuleRegistry.Standard(genesis);
        modules.ValidateGenesis(genesis);
        var overlay = new StateOverlay(empty);
        EpochClock.Write(overlay, 0, genesis.GenesisTimeMs);
        modules.InitGenesis(genesis, overlay);
        return overlay;
    }
}
