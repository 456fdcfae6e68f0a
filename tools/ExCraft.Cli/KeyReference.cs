using System.Globalization;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Genesis;

namespace ExCraft.Cli;

/// <summary>
/// Which key signs (--from) or is exported: an address (ext1... or 0x...) or a --name label of a
/// keystore file, both unlocked with a password, or "dev:N" for the well-known dev chain account N
/// (DevKeys, funded in genesis/dev.json; dev only, the keys are public).
/// </summary>
public abstract record KeyReference
{
    public const string DevPrefix = "dev:";

    public sealed record Dev(int Index) : KeyReference;
    public sealed record ByAddress(Address Address) : KeyReference;
    public sealed record ByName(string Name) : KeyReference;

    public static bool TryParse(string text, out KeyReference reference, out string error)
    {
        reference = null!;
        error = "";
        text = text.Trim();
        if (text.StartsWith(DevPrefix, StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(text.AsSpan(DevPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= DevKeys.AccountCount)
            {
                error = $"'{text}': dev accounts are dev:0 to dev:{DevKeys.AccountCount - 1}";
                return false;
            }
            reference = new Dev(index);
            return true;
        }
        if (LooksLikeAddress(text))
        {
            if (!Address.TryParse(text, out var address, out error)) return false;
            reference = new ByAddress(address);
            return true;
        }
        if (!IsValidName(text, out error)) return false;
        reference = new ByName(text);
        return true;
    }

    /// <summary>Key names: 1 to 64 letters, digits, '.', '_' or '-', and not shaped like an address.</summary>
    public static bool IsValidName(string name, out string error)
    {
        error = "";
        if (name.Length is 0 or > 64 || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-')))
            error = $"'{name}' is neither an address (ext1... or 0x...) nor a key name (1 to 64 letters, digits, '.', '_', '-')";
        else if (LooksLikeAddress(name))
            error = $"key name '{name}' must not start with ext1 or 0x";
        return error.Length == 0;
    }

    private static bool LooksLikeAddress(string text) =>
        text.StartsWith(Address.Hrp + "1", StringComparison.OrdinalIgnoreCase) || text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);

    /// <summary>The keystore entry this reference names (not for dev keys); throws not found (exit code 5).</summary>
    public KeystoreEntry Find(KeystoreDirectory keystore) => this switch
    {
        ByAddress a => keystore.Get(a.Address),
        ByName n => keystore.List().FirstOrDefault(e => e.Name == n.Name)
            ?? throw CliException.NotFound($"no key named '{n.Name}' in the keystore {keystore.Path}"),
        _ => throw new InvalidOperationException("dev keys are not in the keystore"),
    };

    /// <summary>The account's address without unlocking it (a name is looked up in the keystore).</summary>
    public Address AddressIn(KeystoreDirectory keystore) => this switch
    {
        Dev d => DevKeys.Account(d.Index).Address,
        ByAddress a => a.Address,
        _ => Find(keystore).Address,
    };

    /// <summary>The private key: a dev key directly, otherwise the keystore file opened with a password.</summary>
    public PrivateKey Unlock(KeystoreDirectory keystore, PasswordSource passwords)
    {
        if (this is Dev dev) return DevKeys.Account(dev.Index);
        var entry = Find(keystore);
        return KeystoreDirectory.Open(entry.File, passwords.ForUnlock(entry.Address.ToString()));
    }

    public sealed override string ToString() => this switch
    {
        Dev d => $"{DevPrefix}{d.Index}",
        ByAddress a => a.Address.ToString(),
        ByName n => n.Name,
        _ => GetType().Name,
    };
}
