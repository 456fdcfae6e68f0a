using ExCraft.Chain.Execution;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>
/// The market actions a batch item or an agent key may take, run for an owner that need not be
/// the sender: the same checks, reservations and queueing as the actions' own transactions.
/// </summary>
internal static class MarketActions
{
    private static readonly Dictionary<TxKind, ITxHandler> Handlers = new ITxHandler[]
    {
        new PlaceOrderHandler(), new CancelOrderHandler(), new CancelAllHandler(), new AmendOrderHandler(), new SetCancelDeadlineHandler(), new BatchOrdersHandler(),
    }.ToDictionary(h => h.Kind);

    /// <summary>The action's own stateless check (the kind must be one of the actions above).</summary>
    public static string? CheckStateless(TxPayload action) =>
        Handlers.TryGetValue(action.Kind, out var handler) ? handler.CheckStateless(action) : $"{action.Name} is not a market action";

    public static IReadOnlyList<AssetAmount> Spend(TxPayload action) => Handlers.TryGetValue(action.Kind, out var handler) ? handler.Spend(action) : [];

    public static IReadOnlyList<AssetAmount> Spend(IStateReader state, TxPayload action) =>
        Handlers.TryGetValue(action.Kind, out var handler) ? handler.Spend(state, action) : [];

    /// <summary>Runs the action for the owner; throws TransactionFailedException as its own transaction would.</summary>
    public static void Run(TxContext c, Address owner, TxPayload action)
    {
        switch (action)
        {
            case PlaceOrderPayload p: PlaceOrderHandler.Run(c, owner, p); break;
            case CancelOrderPayload p: CancelOrderHandler.Run(c, owner, p); break;
            case CancelAllPayload p: CancelAllHandler.Run(c, owner, p); break;
            case AmendOrderPayload p: AmendOrderHandler.Run(c, owner, p); break;
            case SetCancelDeadlinePayload p: SetCancelDeadlineHandler.Run(c, owner, p); break;
            case BatchOrdersPayload p: BatchOrdersHandler.Run(c, owner, p); break;
            default: throw new TransactionFailedException($"{action.Name} is not a market action");
        }
    }
}
