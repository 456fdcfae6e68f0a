using System.CommandLine;
using System.CommandLine.Parsing;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli;

/// <summary>
/// The options shared by several commands (global ones are recursive) and factories for
/// arguments that are checked while parsing, so a bad address or amount is a usage error
/// (exit code 1) before anything is read or sent.
/// </summary>
public sealed class CliOptions
{
    public const string DefaultRpc = "http://127.0.0.1:9545";
    public const string RpcVariable = "EXCRAFT_RPC";
    public const string KeystoreVariable = "EXCRAFT_KEYSTORE";

    public Option<string?> Rpc { get; } = new("--rpc")
    {
        Description = $"Node JSON-RPC URL [default: ${RpcVariable} or {DefaultRpc}]",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string?> Keystore { get; } = new("--keystore")
    {
        Description = $"Keystore directory [default: ${KeystoreVariable} or ~/.excraft/keystore]",
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print one JSON document on stdout instead of human-readable text",
        Recursive = true,
    };

    public Option<string?> PasswordFile { get; } = new("--password-file")
    {
        Description = $"Read the keystore password from the first line of FILE [else ${PasswordSource.EnvironmentVariable}, else a prompt on a terminal]",
        HelpName = "FILE",
    };

    public Option<bool> LightKdf { get; } = new("--light-kdf")
    {
        Description = $"Encrypt with light scrypt parameters (N={KeystoreDirectory.LightScryptN}); fast but weak, for tests and dev keys only",
    };

    public static Option<Address> AddressOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "ADDRESS",
        Required = true,
        CustomParser = r => ParseAddress(r, name),
    };

    public static Argument<Address> AddressArgument(string description) => new("ADDRESS")
    {
        Description = description,
        CustomParser = r => ParseAddress(r, "ADDRESS"),
    };

    /// <summary>--from: an address or key name in the keystore, or dev:N.</summary>
    public static Option<KeyReference> FromOption() => new("--from")
    {
        Description = "Sending account: an address or key name in the keystore, or dev:N (N = 0..9) for a dev chain account (no password; dev only)",
        HelpName = "ADDRESS|NAME|dev:N",
        Required = true,
        CustomParser = r => ParseKeyReference(r, "--from"),
    };

    public static Argument<KeyReference> KeyArgument(string description) => new("ADDRESS")
    {
        Description = description,
        CustomParser = r => ParseKeyReference(r, "ADDRESS"),
    };

    /// <summary>A positive decimal amount such as 12.5, checked for syntax now and against the asset's decimals once they are known.</summary>
    public static Option<string> AmountOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "DECIMAL",
        Required = true,
        Validators = { r => CheckAmountSyntax(r, name) },
    };

    /// <summary>--fee in EXT; null when not given (the command then uses <see cref="TransactionSender.DefaultFee"/>).</summary>
    public static Option<UInt128?> FeeOption() => new("--fee")
    {
        Description = $"Fee in EXT [default: {Amount.Format(TransactionSender.DefaultFee)}, the dev chain's minimum fee]",
        HelpName = "DECIMAL",
        CustomParser = r =>
        {
            var text = r.Tokens.Single().Value;
            if (Amount.TryParse(text, Amount.ExtDecimals, out var fee, out var error)) return fee;
            r.AddError($"--fee: {error}");
            return null;
        },
    };

    /// <summary>A rate such as 0.05 or 5%, converted exactly to parts per million (see <see cref="CommissionRate"/>).</summary>
    public static Option<uint?> RateOption(string name, string description, bool required) => new(name)
    {
        Description = description,
        HelpName = "RATE",
        Required = required,
        CustomParser = r =>
        {
            if (CommissionRate.TryParse(r.Tokens.Single().Value, out var ppm, out var error)) return ppm;
            r.AddError($"{name}: {error}");
            return null;
        },
    };

    public static Option<string> AssetOption(string name, string description, bool required) => new(name)
    {
        Description = description,
        HelpName = "SYMBOL",
        Required = required,
        Validators = { r => { if (r.GetValueOrDefault<string?>() is { } s && !AssetSymbol.IsValid(s, out var e)) r.AddError($"{name}: {e}"); } },
    };

    public static Option<bool> WaitOption() => new("--wait") { Description = "Wait until the transaction is in a block and print its receipt" };

    public static Option<int> TimeoutOption() => new("--timeout")
    {
        Description = "With --wait: seconds to wait before giving up (exit code 6)",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 30,
        Validators = { r => { if (r.GetValueOrDefault<int>() is < 1 or > 3600) r.AddError("--timeout: must be 1 to 3600 seconds"); } },
    };

    /// <summary>A 32-byte hash as 0x-hex.</summary>
    public static Argument<string> HashArgument(string description) => new("HASH")
    {
        Description = description,
        CustomParser = r =>
        {
            var text = r.Tokens.Single().Value.Trim();
            if (!Hex.TryDecode(text, out var bytes, out var error)) r.AddError($"HASH: {error}");
            else if (bytes.Length != 32) r.AddError($"HASH: a transaction hash is 32 bytes, got {bytes.Length}");
            else return Hex.Encode(bytes);
            return "";
        },
    };

    private static void CheckAmountSyntax(OptionResult result, string name)
    {
        if (result.GetValueOrDefault<string?>() is not { } text) return;
        // Parse with exactly the places written, so large whole amounts are not scaled past UInt128 here.
        var dot = text.Trim().IndexOf('.');
        var places = dot < 0 ? 0 : Math.Min(text.Trim().Length - dot - 1, Amount.MaxDecimals);
        if (!Amount.TryParse(text, places, out var value, out var error)) result.AddError($"{name}: {error}");
        else if (value == 0) result.AddError($"{name}: must be greater than zero");
    }

    /// <summary>Parses an amount with the asset's decimals now known; a mismatch is a usage error.</summary>
    public static UInt128 ParseAmount(string name, string text, int decimals, string asset) =>
        Amount.TryParse(text, decimals, out var value, out var error)
            ? value
            : throw CliException.Usage($"{name}: {error.Replace("this asset", asset, StringComparison.Ordinal)}");

    private static Address ParseAddress(ArgumentResult result, string name)
    {
        if (Address.TryParse(result.Tokens.Single().Value, out var address, out var error)) return address;
        result.AddError($"{name}: {error}");
        return default;
    }

    private static KeyReference ParseKeyReference(ArgumentResult result, string name)
    {
        if (KeyReference.TryParse(result.Tokens.Single().Value, out var reference, out var error)) return reference;
        result.AddError($"{name}: {error}");
        return new KeyReference.Dev(0);
    }
}
