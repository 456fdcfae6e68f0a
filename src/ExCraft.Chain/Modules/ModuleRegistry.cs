using ExCraft.Chain.Modules.Accounts;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Htlc;
using ExCraft.Chain.Modules.Kyc;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.Modules.Pools;
using ExCraft.Chain.Modules.Poe;
using ExCraft.Chain.Modules.Staking;
using ExCraft.Chain.Modules.SwapOffers;
using ExCraft.Chain.State;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules;

/// <summary>
/// The modules of the state machine, in the one order every hook runs in (begin-block,
/// end-block, epoch-end, genesis init and the genesis hash's section order). Checked when built:
/// names and key prefixes unique, prefixes prefix-free and clear of the chain-level prefix,
/// each transaction kind handled by exactly one module.
/// </summary>
public sealed class ModuleRegistry
{
    private readonly ITxHandler?[] _handlers = new ITxHandler?[256];

    public IReadOnlyList<ChainModule> Modules { get; }

    public ModuleRegistry(IReadOnlyList<ChainModule> modules)
    {
        Modules = modules;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var prefixes = new List<(byte[] Prefix, string Module)> { (EpochClock.ChainPrefix, "chain") };
        foreach (var module in modules)
        {
            if (!names.Add(module.Name)) throw new InvalidOperationException($"two modules are named {module.Name}");
            if (module.KeyPrefix.Length == 0) throw new InvalidOperationException($"module {module.Name} has an empty key prefix");
            foreach (var (prefix, owner) in prefixes)
            {
                if (module.KeyPrefix.AsSpan().StartsWith(prefix) || prefix.AsSpan().StartsWith(module.KeyPrefix))
                    throw new InvalidOperationException($"modules {owner} and {module.Name} have overlapping key prefixes {Convert.ToHexString(prefix)} and {Convert.ToHexString(module.KeyPrefix)}");
            }
            prefixes.Add((module.KeyPrefix, module.Name));
            foreach (var handler in module.Handlers)
            {
                if (_handlers[(byte)handler.Kind] is not null)
                    throw new InvalidOperationException($"transaction kind {(byte)handler.Kind} ({handler.Kind}) is claimed twice (again by module {module.Name})");
                _handlers[(byte)handler.Kind] = handler;
            }
        }
        // The genesis hash covers module sections in GenesisSections order (Core): it must be this hook order.
        var sectionOrder = GenesisSections.All.Select(s => s.Name).Where(names.Contains).ToList();
        var moduleOrder = modules.Select(m => m.Name).Where(n => GenesisSections.All.Any(s => s.Name == n)).ToList();
        if (!sectionOrder.SequenceEqual(moduleOrder))
            throw new InvalidOperationException($"genesis sections are ordered {string.Join(", ", sectionOrder)} but the modules {string.Join(", ", moduleOrder)}");
    }

    /// <summary>
    /// The modules of this chain, in hook order. Ordering constraints:
    /// - accounts first: its genesis creates the assets and balances the others bond or lock.
    /// - staking after accounts: genesis validators add their bonded EXT to the supply accounts recorded.
    /// - staking last at end-block/epoch-end: rewards and every balance change of a block land
    ///   before the validator set for the next height is chosen (markets, PoE and pools go between
    ///   accounts and staking: markets settle before PoE tallies, PoE before pools).
    /// - emission after staking: its genesis records the supply including bonded EXT, its epoch end
    ///   pays PoS rewards to liquid balances (the next set does not depend on them) and its supply
    ///   check sees every other hook's changes.
    /// </summary>
    public static ModuleRegistry Standard(ulong chainId, StakingParameters staking, EmissionParameters? emission = null, PoolsParameters? pools = null, PoeParameters? poe = null)
    {
        var emissionModule = new EmissionModule(emission ?? EmissionParameters.Mainnet);
        var poeModule = new PoeModule(poe ?? PoeParameters.Mainnet, emissionModule);
        return new(
        [
            new AccountsModule(),
            new KycModule(), // after accounts ("verified" reads registration); its genesis writes the KYC authorities; no hooks
            new HtlcModule(), // after accounts (locks debit balances); no hooks or genesis, so no other constraint
            new SwapOffersModule(), // after htlc: a take creates an htlc-module HTLC; its begin-block expiry only credits balances, so no other constraint
            new MarketsModule(), // after accounts (genesis markets need the assets); before staking: a block's fills settle before the next validator set is chosen
            poeModule, // after markets: counts the trades markets' end-block and epoch-end (buyback) made; before pools (reads each account's PoE) and emission (pays its report)
            new PoolsModule(pools ?? PoolsParameters.Mainnet, emissionModule, poeModule), // after PoE: closes the epoch's pools with the block's close budget PoE left; before emission, which settles once it is done
            new StakingModule(chainId, staking),
            emissionModule, // last: records genesis supply after staking's bond, pays to liquid balances (no effect on the next set) and checks the supply after every other hook
        ]);
    }

    public static ModuleRegistry Standard(GenesisConfig genesis) => Standard(genesis.ChainId, genesis.Staking, genesis.Emission, genesis.Pools, genesis.Poe);

    /// <summary>The standard modules with mainnet parameters: enough for checks that need no chain (a wallet's stateless check).</summary>
    private static readonly Lazy<ModuleRegistry> Detached = new(() => Standard(0, StakingParameters.Mainnet));

    /// <summary>A payload's stateless check without a chain at hand (e.g. in the wallet before signing).</summary>
    public static string? CheckStateless(TxPayload payload) =>
        Detached.Value.HandlerFor(payload.Kind) is { } handler ? handler.CheckStateless(payload) : $"transaction kind {payload.Name} is not handled by any module";

    public ITxHandler? HandlerFor(TxKind kind) => _handlers[(byte)kind];

    public T Get<T>() where T : ChainModule => Modules.OfType<T>().Single();

    public void BeginBlock(BlockHookContext context)
    {
        foreach (var module in Modules) module.BeginBlock(context);
    }

    public void EndBlock(BlockHookContext context)
    {
        foreach (var module in Modules) module.EndBlock(context);
    }

    public void EpochEnd(BlockHookContext context)
    {
        foreach (var module in Modules) module.EpochEnd(context);
    }

    public void ValidateGenesis(GenesisConfig genesis)
    {
        foreach (var module in Modules) module.ValidateGenesis(genesis);
    }

    public void InitGenesis(GenesisConfig genesis, StateOverlay state)
    {
        foreach (var module in Modules) module.InitGenesis(genesis, state);
    }
}
