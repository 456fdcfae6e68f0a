using ExCraft.Chain.Execution;
using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules;

/// <summary>
/// What a handler works with: the transaction's own overlay (merged only if it succeeds), typed
/// account access over it, the sender, the block and the receipt's event list.
/// </summary>
public sealed class TxContext(StateOverlay state, Address sender, BlockContext block, List<ChainEvent> events)
{
    public StateOverlay State => state;

    public AccountState Accounts { get; } = new(state);

    public Address Sender => sender;

    public BlockContext Block => block;

    public void Emit(ChainEvent e) => events.Add(e);
}
