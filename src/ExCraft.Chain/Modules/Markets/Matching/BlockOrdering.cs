namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>The class of a market operation for the in-block order of continuous markets.</summary>
public enum MarketOperationClass : byte
{
    /// <summary>cancel_order, cancel by client id, cancel_all.</summary>
    Cancel = 0,
    /// <summary>place_order with post-only.</summary>
    PostOnlyPlace = 1,
    /// <summary>Every other place and every amend.</summary>
    Other = 2,
}

/// <summary>
/// The documented order in which a continuous market applies one block's operations: all cancels
/// first, then post-only places, then everything else; inside each class, block order. A maker's
/// cancel therefore always lands before a taker in the same block can hit it, and new makers
/// quote before takers arrive.
/// </summary>
public static class BlockOrdering
{
    /// <summary>Returns the operations in application order (a stable sort by class; the input is not changed).</summary>
    public static List<T> Order<T>(IReadOnlyList<T> operations, Func<T, MarketOperationClass> classify)
    {
        var result = new List<T>(operations.Count);
        foreach (var wanted in new[] { MarketOperationClass.Cancel, MarketOperationClass.PostOnlyPlace, MarketOperationClass.Other })
        {
            foreach (var operation in operations)
            {
                var cls = classify(operation);
                if (cls is not (MarketOperationClass.Cancel or MarketOperationClass.PostOnlyPlace or MarketOperationClass.Other))
                    throw new ArgumentException($"unknown market operation class {cls}");
                if (cls == wanted) result.Add(operation);
            }
        }
        return result;
    }
}
