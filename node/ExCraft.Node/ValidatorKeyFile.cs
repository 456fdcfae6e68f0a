using System.Text.Json;
using ExCraft.Core.Crypto;

namespace ExCraft.Node;

/// <summary>
/// The validator's signing key on disk: {"address": "ext1...", "private_key": "0x..."}, readable
/// by its owner only. Issue 3 adds the double-sign guard beside it.
/// </summary>
public static class ValidatorKeyFile
{
    public static PrivateKey Load(string path)
    {
        if (!File.Exists(path)) throw new NodeStartupException($"validator key file not found: {path}");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var key = PrivateKey.FromHex(document.RootElement.GetProperty("private_key").GetString()!);
            if (document.RootElement.TryGetProperty("address", out var address) && address.GetString() != key.Address.ToString())
                throw new NodeStartupException($"validator key file {path}: address {address.GetString()} does not match the key ({key.Address})");
            return key;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new NodeStartupException($"validator key file {path} is not valid: {e.Message}");
        }
    }

    public static void Save(string path, PrivateKey key)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var json = JsonSerializer.Serialize(new Dictionary<string, string> { ["address"] = key.Address.ToString(), ["private_key"] = key.ToHex() });
        File.WriteAllText(path, json);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
