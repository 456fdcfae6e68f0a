using ExCraft.Chain.Execution;
using ExCraft.Core;
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

    protected override void Apply(TxContext c, SetCancelDeadlinePayload p) => Run(c, c.Sender, p);

    internal static void Run(TxContext c, Address owner, SetCancelDeadlinePayload p)
    {
        if (p.Height != 0 && p.Height <= c.Block.Height)
            throw new TransactionFailedException($"cancel deadline {p.Height} is not above the current block {c.Block.Height}");
        new MarketsState(c.State).SetDeadline(owner, p.Height);
        c.Emit(ChainEvent.Of(MarketsModule.Events.DeadlineSet, ("account", owner.ToString()), ("height", p.Height.ToString())));
    }
}
