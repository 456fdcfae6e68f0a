namespace ExCraft.Swaps.Engine;

/// <summary>The legs one party can act on, by chain name ("excraft", "ethereum", "bitcoin"), each holding that party's key.</summary>
public sealed class SwapLegs
{
    private readonly Dictionary<string, ISwapLeg> byChain = new(StringComparer.OrdinalIgnoreCase);

    public SwapLegs(params ISwapLeg[] legs)
    {
        foreach (var leg in legs)
        {
            if (!byChain.TryAdd(leg.Chain, leg)) throw new ArgumentException($"two legs for chain {leg.Chain}");
        }
    }

    public ISwapLeg For(string chain) =>
        byChain.TryGetValue(chain, out var leg) ? leg : throw new ArgumentException($"no leg configured for chain '{chain}'");
}
