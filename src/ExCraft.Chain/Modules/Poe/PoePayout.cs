using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>What the emission module pays for the PoE share of an epoch: the rewards of the epoch's report, by address, and their sum.</summary>
public sealed record PoePayout(IReadOnlyList<(Address Account, UInt128 Reward)> Rewards, UInt128 Paid)
{
    public static PoePayout None { get; } = new([], 0);

    /// <summary>
    /// The closed epoch's report rewards. A chain without the PoE module has no report and pays
    /// nothing. The report must have been computed over the same available share the emission
    /// module holds, and its rewards must add up to its stated total: otherwise the chain stops
    /// rather than pay something the report does not say.
    /// </summary>
    public static PoePayout Of(IStateReader state, ulong epoch, UInt128 available)
    {
        if (PoeState.ReadSummary(state, epoch) is not { } summary) return None;
        if (summary.Available != available)
            throw new InvalidOperationException($"PoE report of epoch {epoch} was computed over {summary.Available} but the PoE share available is {available}");
        var rewards = PoeState.ReadIndexes(state, epoch).Where(x => x.Index.Reward > 0).Select(x => (x.Account, x.Index.Reward)).ToList();
        var paid = rewards.Aggregate(UInt128.Zero, (sum, r) => Amount.Add(sum, r.Reward));
        if (paid != summary.Paid) throw new InvalidOperationException($"PoE report of epoch {epoch} states {summary.Paid} paid but its rewards add up to {paid}");
        return new PoePayout(rewards, paid);
    }
}
