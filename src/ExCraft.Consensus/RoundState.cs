using ExCraft.Core;
using ExCraft.Core.Consensus;

namespace ExCraft.Consensus;

/// <summary>What the engine holds of one round of the current height: the proposal, both vote sets, and which
/// round-level rules already fired.</summary>
internal sealed class RoundState
{
    private readonly HashSet<Address> _senders = [];

    public Proposal? Proposal;
    public readonly VoteSet Prevotes = new();
    public readonly VoteSet Precommits = new();
    public ulong SenderPower;
    public bool PrevoteTimeoutScheduled;
    public bool PrecommitTimeoutScheduled;
    public bool PolkaHandled;
    public bool ExtraBlockKept;

    public VoteSet Of(VoteType type) => type == VoteType.Prevote ? Prevotes : Precommits;

    public void AddSender(Address validator, ulong power)
    {
        if (_senders.Add(validator)) SenderPower += power;
    }
}
