using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExCraft.Cli.Testnet;

/// <summary>One node of a local testnet: its ports, keys, data directory, log and process.</summary>
public sealed class TestnetNode
{
    public int Index { get; set; }
    public string Name { get; set; } = "";
    public bool Validator { get; set; }
    public int RpcPort { get; set; }
    public int P2pPort { get; set; }
    public string NodeId { get; set; } = "";
    public string ValidatorAddress { get; set; } = "";
    public int? Pid { get; set; }

    [JsonIgnore] public string RpcUrl => $"http://127.0.0.1:{RpcPort}/";
    public string PeerAddress => $"{NodeId}@127.0.0.1:{P2pPort}";
}

/// <summary>
/// A local testnet on disk: DIR/genesis.json, DIR/state.json and one folder per node holding its
/// keys, RocksDB data and log. Everything listens on 127.0.0.1.
/// </summary>
public sealed class TestnetLayout(string directory)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Directory { get; } = Path.GetFullPath(directory);
    public string GenesisPath => Path.Combine(Directory, "genesis.json");
    public string StatePath => Path.Combine(Directory, "state.json");
    public string NodeDir(TestnetNode node) => Path.Combine(Directory, node.Name);
    public string DataDir(TestnetNode node) => Path.Combine(NodeDir(node), "data");
    public string ValidatorKeyPath(TestnetNode node) => Path.Combine(NodeDir(node), "validator_key.json");
    public string NodeKeyPath(TestnetNode node) => Path.Combine(NodeDir(node), "node_key.json");
    public string LogPath(TestnetNode node) => Path.Combine(NodeDir(node), "node.log");

    public bool Exists => File.Exists(StatePath);

    public List<TestnetNode> Load() =>
        Exists ? JsonSerializer.Deserialize<List<TestnetNode>>(File.ReadAllText(StatePath), Json) ?? [] : [];

    public void Save(List<TestnetNode> nodes)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(StatePath, JsonSerializer.Serialize(nodes, Json));
    }
}
