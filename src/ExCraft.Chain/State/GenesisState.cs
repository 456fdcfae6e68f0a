using ExCraft.Core;
using ExCraft.Core.Genesis;

namespace ExCraft.Chain.State;

/// <summary>The state a genesis file describes: assets (supply = sum of genesis balances), balances and registrations.</summary>
public static class GenesisState
{
    public static StateOverlay Build(GenesisConfig genesis, IStateReader empty)
    {
        var overlay = new StateOverlay(empty);
        var accounts = new AccountState(overlay);
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
        return overlay;
    }
}
