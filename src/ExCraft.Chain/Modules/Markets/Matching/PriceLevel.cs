namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>
/// The orders at one price, oldest first (an intrusive doubly linked list: append at the tail,
/// fill from the head, remove anywhere in O(1)). <see cref="TotalLots"/> serves depth queries and
/// the batch auction without walking the orders.
/// </summary>
internal sealed class PriceLevel(ulong priceTicks)
{
    public readonly ulong PriceTicks = priceTicks;
    public RestingOrder? Head;
    public RestingOrder? Tail;
    // 128 bits: many orders of up to 2^64 lots each cannot overflow it.
    public UInt128 TotalLots;
    public int Count;

    public void Append(RestingOrder order)
    {
        order.Level = this;
        order.Previous = Tail;
        order.Next = null;
        if (Tail is null) Head = order; else Tail.Next = order;
        Tail = order;
        TotalLots += order.RemainingLots;
        Count++;
    }

    public void Remove(RestingOrder order)
    {
        if (order.Previous is null) Head = order.Next; else order.Previous.Next = order.Next;
        if (order.Next is null) Tail = order.Previous; else order.Next.Previous = order.Previous;
        TotalLots -= order.RemainingLots;
        Count--;
        order.Level = null;
        order.Previous = null;
        order.Next = null;
    }
}
