using ExCraft.Chain.Execution;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>
/// set_cancel_deadline (kind 24), the dead-man's switch: from the start of block Height, all the
/// sender's orders are cancelled (the begin-block hook), unless pushed forward by another one
/// first; 0 switches it off. The height must be above the current block's.
/// </summary>
public sealed class SetCancelDeadlineHandler : TxHandler<SetCancelDeadlinePayload>
{
    protected override IReadOnlyList<AssetAmount> Spend(SetCancelDeadlinePayload p) => [];

    protected override void Apply(TxContext c, SetCancelDeadlinePayload p)
    {
        if (p.Height != 0 && p.Height <= c.Block.Height)
            throw new TransactionFailedException($"cancel deadline {p.Height} is not above the current block {c.Block.Height}");
        new MarketsState(c.State).SetDeadline(c.Sender, p.Height);
        c.Emit(ChainEvent.Of(MarketsModule.Events.DeadlineSet, ("account", c.Sender.ToString()), ("height", p.Height.ToString())));
    }
}
