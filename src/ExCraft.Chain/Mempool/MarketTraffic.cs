using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Mempool;

/// <summary>How the mempool's market limits see a transaction.</summary>
public enum MarketTrafficClass
{
    /// <summary>Not a market order change (transfers, staking, governance, ...).</summary>
    None,
    /// <summary>Takes risk off: cancel_order, cancel_all, set_cancel_deadline, a batch of cancels only. Always ahead of new orders.</summary>
    Cancel,
    /// <summary>Adds or changes an order: place_order, amend_order, a batch with a place or an amend. Counted against the per-account limits.</summary>
    Order,
}

/// <summary>Sorts transactions into the classes of <see cref="MarketTrafficClass"/>; an agent action is the class of the action it carries.</summary>
public static class MarketTraffic
{
    public static MarketTrafficClass Of(TxPayload payload) => payload switch
    {
        CancelOrderPayload or CancelAllPayload or SetCancelDeadlinePayload => MarketTrafficClass.Cancel,
        PlaceOrderPayload or AmendOrderPayload => MarketTrafficClass.Order,
        BatchOrdersPayload batch => batch.Items.Any(i => Of(i) == MarketTrafficClass.Order) ? MarketTrafficClass.Order : MarketTrafficClass.Cancel,
        AgentActionPayload agent => Of(agent.Action),
        _ => MarketTrafficClass.None,
    };
}
