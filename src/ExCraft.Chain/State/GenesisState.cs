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
        AddValidators(genesis, overlay, accounts);
        return overlay;
    }

    /// <summary>Genesis validators are created with their self-bond already bonded (added to the EXT supply); they form epoch 0's set.</summary>
    private static void AddValidators(GenesisConfig genesis, StateOverlay overlay, AccountState accounts)
    {
        var staking = new Modules.Staking.StakingState(overlay, genesis.Staking);
        UInt128 bonded = 0;
        foreach (var v in genesis.Validators)
        {
            staking.CreateValidator(v.Address, v.PublicKey, v.Moniker.Length > 0 ? v.Moniker : v.Address.ToString(), GenesisCommission.RatePpm,
                GenesisCommission.MaxRatePpm, GenesisCommission.MaxDailyChangePpm, v.SelfBond, 0, genesis.GenesisTimeMs, fromBalance: false);
            bonded = Amount.Add(bonded, v.SelfBond);
        }
        var ext = accounts.GetAsset(Core.Transactions.AssetSymbol.Native)!;
        accounts.PutAsset(ext with { Supply = Amount.Add(ext.Supply, bonded) });
        staking.SetEpoch(0, genesis.GenesisTimeMs);
        staking.ReplaceActiveSet(0, 1, staking.SelectActive());
        overlay.Delete(Modules.Staking.StakingKeys.PreviousSetKey);
    }

    /// <summary>Commission of genesis validators: 10%, at most 20%, changing by at most 1% a day.</summary>
    private static class GenesisCommission
    {
        public const uint RatePpm = 100_000;
        public const uint MaxRatePpm = 200_000;
        public const uint MaxDailyChangePpm = 10_000;
    }
}
