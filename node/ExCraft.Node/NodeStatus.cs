namespace ExCraft.Node;

/// <summary>Live figures other parts of the node report for ext_nodeInfo: peers, consensus round, sync state.</summary>
public sealed class NodeStatus : ExCraft.Rpc.Methods.INodeStatus
{
    public Func<int> Peers { get; set; } = () => 0;
    public Func<ulong?> ConsensusHeight { get; set; } = () => null;
    public Func<int?> Round { get; set; } = () => null;
    public Func<bool> Syncing { get; set; } = () => false;
    public Func<ulong?> SyncTarget { get; set; } = () => null;
    public string Mode { get; set; } = "single";

    int ExCraft.Rpc.Methods.INodeStatus.Peers => Peers();
    ulong? ExCraft.Rpc.Methods.INodeStatus.ConsensusHeight => ConsensusHeight();
    int? ExCraft.Rpc.Methods.INodeStatus.Round => Round();
    bool ExCraft.Rpc.Methods.INodeStatus.Syncing => Syncing();
    ulong? ExCraft.Rpc.Methods.INodeStatus.SyncTarget => SyncTarget();
}
