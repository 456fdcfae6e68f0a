using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Keys;

namespace ExCraft.Cli;

/// <summary>One key file in the keystore directory; Name is the optional label given with keys new/import --name.</summary>
public sealed record KeystoreEntry(Address Address, string File, string? Name);

/// <summary>
/// A directory of Web3 Secret Storage v3 files (the format of geth and other Ethereum wallets),
/// one key per file named UTC--&lt;time&gt;--&lt;hex address&gt;.json. The address is read from each
/// file's "address" field, so listing needs no password. On Unix the directory is created 0700
/// and the files 0600.
/// </summary>
public sealed class KeystoreDirectory(string path)
{
    /// <summary>scrypt N for --light-kdf (r = 8, p = 1): fast enough for tests and throwaway dev keys, weak for real ones.</summary>
    public const int LightScryptN = 4096;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>All readable key files, sorted by file name (so by creation time); unreadable files are reported through warn.</summary>
    public IReadOnlyList<KeystoreEntry> List(Action<string>? warn = null)
    {
        if (!Directory.Exists(Path)) return [];
        var entries = new List<KeystoreEntry>();
        foreach (var file in Directory.EnumerateFiles(Path).Order(StringComparer.Ordinal))
        {
            if (System.IO.Path.GetFileName(file).StartsWith('.')) continue;
            if (TryReadEntry(file, out var entry, out var problem)) entries.Add(entry);
            else warn?.Invoke($"skipping {file}: {problem}");
        }
        return entries;
    }

    /// <summary>The key file of an address, or throws not found (exit code 5).</summary>
    public KeystoreEntry Get(Address address) =>
        List().FirstOrDefault(e => e.Address == address)
        ?? throw CliException.NotFound($"no key for {address} in the keystore {Path}");

    /// <summary>Decrypts any v3 keystore file (ours or another wallet's): wrong password is exit code 4, a bad file exit code 1.</summary>
    public static PrivateKey Open(string file, string password)
    {
        string json;
        try
        {
            json = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"cannot read the keystore file {file}: {e.Message}");
        }
        try
        {
            return Keystore.Decrypt(json, password);
        }
        catch (KeystorePasswordException)
        {
            throw new CliException(ExitCodes.WrongPassword, $"wrong password for the keystore file {file}");
        }
        catch (KeystoreFormatException e)
        {
            throw CliException.Usage($"{file}: {e.Message}");
        }
    }

    /// <summary>Encrypts the key into a new file and returns its entry; refuses a key that is already stored.</summary>
    public KeystoreEntry Add(PrivateKey key, string password, KeystoreKdfParams kdf, string? name)
    {
        if (List().FirstOrDefault(e => e.Address == key.Address) is { } existing)
            throw CliException.Usage($"the keystore already holds {key.Address} in {existing.File}");
        var document = JsonNode.Parse(Keystore.Encrypt(key, password, kdf))!.AsObject();
        if (name is not null) document["name"] = name;

        CreateDirectory();
        var time = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH-mm-ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var file = System.IO.Path.Combine(Path, $"UTC--{time}--{key.Address.ToHex()[2..]}.json");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(file, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        return new KeystoreEntry(key.Address, file, name);
    }

    private void CreateDirectory()
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(Path);
        else Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static bool TryReadEntry(string file, out KeystoreEntry entry, out string problem)
    {
        entry = null!;
        try
        {
            var document = JsonNode.Parse(File.ReadAllText(file)) as JsonObject;
            if (document?["address"] is not JsonValue addressValue || !addressValue.TryGetValue<string>(out var hex))
            {
                problem = "no \"address\" field (not a keystore file, or one written without its address)";
                return false;
            }
            if (!Hex.TryDecode(hex, out var bytes, out var error) || bytes.Length != Address.Length)
            {
                problem = $"\"address\" is not a 20-byte hex value{(error.Length > 0 ? $": {error}" : "")}";
                return false;
            }
            var name = document["name"] is JsonValue nameValue && nameValue.TryGetValue<string>(out var n) ? n : null;
            entry = new KeystoreEntry(new Address(bytes), file, name);
            problem = "";
            return true;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return false;
        }
    }
}
