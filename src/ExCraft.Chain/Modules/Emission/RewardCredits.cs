using ExCraft.Chain.Modules.Accounts;
using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Emission;

/// <summary>
/// Credits an epoch's rewards to many accounts at once: the same result as
/// <see cref="AccountState.Credit"/> of each in turn (the same balance key and 16-byte encoding),
/// for rewards to distinct accounts. The balances are read and the new ones computed on one
/// thread (the block's committed-read cache is not safe for concurrent reads), then written in one
/// sorted merge (<see cref="StateOverlay.PutMany"/>) instead of ~100,000 separate tree inserts.
/// </summary>
public static class RewardCredits
{
    public static void Apply(StateOverlay state, string asset, IReadOnlyList<(Address Account, UInt128 Reward)> rewards)
    {
        var writes = new KeyValuePair<byte[], byte[]?>[rewards.Count];
        for (var i = 0; i < rewards.Count; i++)
        {
            var (account, reward) = rewards[i];
            if (reward == 0) continue;
            var key = AccountsKeys.Balance(account, asset);
            var balance = Amount.Add(StateAmounts.Read(state, key), reward); // overflow throws, as Credit does
            writes[i] = new(key, StateAmounts.Encode(balance)); // reward > 0, so never a zero balance to delete
        }
        state.PutMany(writes.Where(w => w.Value is not null).ToList()); // zero rewards left no write (Credit of 0 changes nothing)
    }
}
