using ExCraft.Chain.Execution;
using ExCraft.Chain.State;

namespace ExCraft.Chain.Modules;

/// <summary>What a begin-block, end-block or epoch-end hook works with: the block's overlay, the block (with its epoch) and the block's event list.</summary>
public sealed class BlockHookContext(StateOverlay state, BlockContext block, List<ChainEvent> events)
{
    public StateOverlay State => state;

    public BlockContext Block => block;

    public void Emit(ChainEvent e) => events.Add(e);
}
