namespace ExCraft.Chain.Modules.Emission.Schedule;

/// <summary>
/// How released base units divide into PoE 4/7, pools 1/7 and PoS 2/7 without losing or minting
/// one. The split is taken on running totals, not per cycle: after a chain has released C base
/// units in all, each share has received exactly floor(weight * C / 7). A cycle's share is the
/// difference of two such floors, so a share's fraction of a base unit (its dust) is not dropped
/// but paid to the same share in a later cycle, as soon as it adds up to a whole unit. At most 2
/// base units are in flight at any time. When the chain's whole allotment has been released the
/// split closes: PoE takes the 0..2 units of dust still in flight, so the shares add up to the
/// total exactly (for a schedule started at cycle 0 the total is a multiple of 7 and there is none).
/// </summary>
public static class EmissionSplit
{
    /// <summary>What each share has received once <paramref name="released"/> base units have been released.</summary>
    /// <param name="closing">True once the whole allotment is released: PoE then takes the remaining dust.</param>
    public static ShareAmounts OfRunningTotal(UInt128 released, bool closing)
    {
        if (released > EmissionTable.TotalBaseUnits)
        {
            throw new ArgumentOutOfRangeException(nameof(released), $"{released} base units is more than the schedule's total {EmissionTable.TotalBaseUnits}");
        }
        // released <= 7 * 10^27 < 2^93, so 4 * released cannot overflow UInt128.
        var pools = released / EmissionShares.Sevenths;
        var proofOfStake = 2 * released / EmissionShares.Sevenths;
        var proofOfExistence = closing ? released - pools - proofOfStake : 4 * released / EmissionShares.Sevenths;
        return new ShareAmounts(proofOfExistence, pools, proofOfStake);
    }
}
