using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;

namespace ExCraft.Chain.Modules.Accounts;

/// <summary>
/// Accounts and assets: balances, nonces, PoE registration; transfer, issue_asset and register
/// (kinds 1-9). Its genesis is the assets and funded accounts; an asset's supply is the sum of
/// its genesis balances.
/// </summary>
public sealed class AccountsModule : ChainModule
{
    public const string ModuleName = "accounts";

    /// <summary>Event types of the accounts module.</summary>
    public static class Events
    {
        public const string Transfer = "transfer";
        public const string AssetIssued = "asset_issued";
        public const string Registered = "registered";
    }

    public override string Name => ModuleName;

    public override byte[] KeyPrefix => AccountsKeys.Prefix;

    public override IReadOnlyList<ITxHandler> Handlers { get; } = [new TransferHandler(), new IssueAssetHandler(), new RegisterHandler()];

    public override IReadOnlyList<string> EventTypes { get; } = [Events.Transfer, Events.AssetIssued, Events.Registered];

    /// <summary>The module's typed read API over a state reader (JSON-RPC and gRPC map its records).</summary>
    public static AccountsQueries Queries(IStateReader state) => new(state);

    public override void InitGenesis(GenesisConfig genesis, StateOverlay state)
    {
        var accounts = new AccountState(state);
        foreach (var asset in genesis.Assets)
        {
            UInt128 supply = 0;
            foreach (var account in genesis.Accounts)
            {
                foreach (var balance in account.Balances.Where(b => b.Key == asset.Symbol)) supply = Amount.Add(supply, balance.Value);
            }
            accounts.PutAsset(new AssetInfo(asset.Symbol, asset.Decimals, supply, asset.Issuer, 0));
        }
        foreach (var account in genesis.Accounts)
        {
            foreach (var balance in account.Balances) accounts.Credit(account.Address, balance.Key, balance.Value);
            if (account.Registered) accounts.SetRegistered(account.Address);
        }
    }
}
