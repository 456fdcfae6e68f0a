namespace ExCraft.Rpc.Methods;

/// <summary>What the node says about itself in ext_nodeInfo besides chain state. Validator is null on a full node.</summary>
public sealed record NodeInfo(string Version, string Moniker, ExCraft.Core.Address? Validator, string DataDirectory, INodeStatus Status);

/// <summary>Live figures of the running node.</summary>
public interface INodeStatus
{
    string Mode { get; }
    int Peers { get; }
    ulong? ConsensusHeight { get; }
    int? Round { get; }
    bool Syncing { get; }
    /// <summary>The highest height peers report, when known (null without peers or in single mode).</summary>
    ulong? SyncTarget { get; }
}
