namespace ExCraft.Rpc.Methods;

/// <summary>What the node says about itself in ext_nodeInfo besides chain state.</summary>
public sealed record NodeInfo(string Version, string Moniker, ExCraft.Core.Address Validator, string DataDirectory);
