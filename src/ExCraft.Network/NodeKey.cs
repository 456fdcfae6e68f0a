using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Crypto;

namespace ExCraft.Network;

/// <summary>
/// The node's static P2P identity: a secp256k1 key whose <see cref="Address"/> is the node id
/// (printed bech32, "ext1..."). It authenticates the node in every handshake; it is not a
/// validator or account key and should not hold funds. Stored as a small JSON file readable by
/// the owner only (mode 0600).
/// </summary>
public sealed class NodeKey
{
    public NodeKey(PrivateKey privateKey)
    {
        PrivateKey = privateKey ?? throw new ArgumentNullException(nameof(privateKey));
    }

    public PrivateKey PrivateKey { get; }
    public PublicKey PublicKey => PrivateKey.PublicKey;
    public Address NodeId => PrivateKey.Address;

    public static NodeKey Generate() => new(PrivateKey.Generate());

    /// <summary>
    /// Reads {"nodeId": "ext1...", "privateKey": "0x..."}. The nodeId field is optional; when
    /// present it must match the key. Throws <see cref="FormatException"/> saying what is wrong.
    /// </summary>
    public static NodeKey Load(string path)
    {
        var text = File.ReadAllText(path);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FormatException($"node key file {path} is not valid JSON: {e.Message}", e);
        }
        if (root is not JsonObject obj) throw new FormatException($"node key file {path} must hold a JSON object");
        var hex = obj["privateKey"] is JsonValue v && v.TryGetValue<string>(out var s) ? s
            : throw new FormatException($"node key file {path} has no \"privateKey\" string");
        NodeKey key;
        try
        {
            key = new NodeKey(PrivateKey.FromHex(hex));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"node key file {path}: {e.Message}", e);
        }
        if (obj["nodeId"] is JsonValue idValue && idValue.TryGetValue<string>(out var idText))
        {
            if (!Address.TryParse(idText, out var id, out var error))
                throw new FormatException($"node key file {path}: nodeId: {error}");
            if (id != key.NodeId)
                throw new FormatException($"node key file {path}: nodeId {id} does not match the private key (which gives {key.NodeId})");
        }
        return key;
    }

    /// <summary>Writes the key atomically (temporary file, then rename) with mode 0600 on Unix.</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var json = new JsonObject
        {
            ["nodeId"] = NodeId.ToString(),
            ["privateKey"] = PrivateKey.ToHex(),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        var temp = full + ".tmp-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(json);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Loads the key at <paramref name="path"/>, or generates and saves a new one if the file does not exist.</summary>
    public static NodeKey LoadOrCreate(string path)
    {
        if (File.Exists(path)) return Load(path);
        var key = Generate();
        key.Save(path);
        return key;
    }

    /// <summary>Shows the node id only, never the secret.</summary>
    public override string ToString() => $"NodeKey({NodeId})";
}
