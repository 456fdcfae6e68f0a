using ExCraft.Chain.Modules.Markets.Matching;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>The snake_case names events, errors and JSON-RPC use for the engine's enums.</summary>
public static class MarketsText
{
    public static string Side(Side side) => side == Matching.Side.Buy ? "buy" : "sell";

    public static string Change(OrderEventKind kind) => kind switch
    {
        OrderEventKind.Accepted => "accepted",
        OrderEventKind.Rested => "rested",
        OrderEventKind.PartiallyFilled => "partially_filled",
        OrderEventKind.Filled => "filled",
        OrderEventKind.Cancelled => "cancelled",
        OrderEventKind.Rejected => "rejected",
        OrderEventKind.Amended => "amended",
        _ => kind.ToString(),
    };

    public static string Reason(OrderReason reason) => reason == OrderReason.None ? "" : Snake(reason.ToString());

    public static string TimeInForce(TimeInForce tif) => tif switch
    {
        Matching.TimeInForce.GoodTillCancel => "gtc",
        Matching.TimeInForce.ImmediateOrCancel => "ioc",
        Matching.TimeInForce.FillOrKill => "fok",
        _ => "post_only",
    };

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
