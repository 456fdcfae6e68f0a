using System.CommandLine;
using System.Text.Json.Nodes;
using ExCraft.Core.Crypto;
using ExCraft.Core.Keys;

namespace ExCraft.Cli.Commands;

/// <summary>excraft keys new | import | list | export: the local keystore (Web3 Secret Storage v3 files).</summary>
public static class KeysCommands
{
    public static Command Create(CliCommandFactory factory)
    {
        var keys = new Command("keys", "Manage the local keystore (Ethereum-compatible v3 key files)");
        keys.Add(New(factory));
        keys.Add(Import(factory));
        keys.Add(List(factory));
        keys.Add(Export(factory));
        return keys;
    }

    private static Option<string?> NameOption() => new("--name")
    {
        Description = "A label for the key (stored in the file, shown by keys list, usable as --from NAME)",
        HelpName = "NAME",
        Validators = { r => { if (r.GetValueOrDefault<string?>() is { } n && !KeyReference.IsValidName(n, out var e)) r.AddError($"--name: {e}"); } },
    };

    private static Command New(CliCommandFactory factory)
    {
        var name = NameOption();
        var command = new Command("new", "Create a key and store it encrypted in the keystore; prints its address")
        {
            name, factory.Options.PasswordFile, factory.Options.LightKdf,
        };
        factory.SetAction(command, (parse, context) =>
        {
            var key = PrivateKey.Generate();
            var entry = Store(context, parse, factory.Options, key, parse.GetValue(name), context.Passwords.ForNewKey("the new key"));
            Print(context, entry, "Created");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command Import(CliCommandFactory factory)
    {
        var name = NameOption();
        var keyFile = new Option<string?>("--private-key-file") { Description = "File holding the private key as 64 hex digits (0x optional)", HelpName = "FILE" };
        var keystoreFile = new Option<string?>("--keystore-file") { Description = "An Ethereum v3 keystore file (geth, MetaMask, ...); opened with the password, re-encrypted into the keystore", HelpName = "FILE" };
        var command = new Command("import", "Import a private key or an Ethereum v3 keystore file into the keystore")
        {
            keyFile, keystoreFile, name, factory.Options.PasswordFile, factory.Options.LightKdf,
        };
        command.Validators.Add(r =>
        {
            if ((r.GetResult(keyFile) is null) == (r.GetResult(keystoreFile) is null))
                r.AddError("keys import needs exactly one of --private-key-file FILE and --keystore-file FILE");
        });
        factory.SetAction(command, (parse, context) =>
        {
            KeystoreEntry entry;
            if (parse.GetValue(keyFile) is { } hexFile)
            {
                var key = ReadPrivateKeyFile(hexFile);
                entry = Store(context, parse, factory.Options, key, parse.GetValue(name), context.Passwords.ForNewKey(key.Address.ToString()));
            }
            else
            {
                // The same password opens the imported file and protects our copy.
                var file = parse.GetValue(keystoreFile)!;
                var password = context.Passwords.ForUnlock(file);
                var key = KeystoreDirectory.Open(file, password);
                entry = Store(context, parse, factory.Options, key, parse.GetValue(name), password);
            }
            Print(context, entry, "Imported");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command List(CliCommandFactory factory)
    {
        var command = new Command("list", "List the keys in the keystore (no password needed)");
        factory.SetAction(command, (_, context) =>
        {
            var keystore = context.Keystore;
            var entries = keystore.List(context.Output.Warn);
            var json = new JsonArray(entries.Select(e => (JsonNode)EntryJson(e)).ToArray());
            context.Output.Result(json, output =>
            {
                if (entries.Count == 0) output.Line($"No keys in {keystore.Path} (create one with 'excraft keys new').");
                else output.Table(["address", "hex", "name", "file"],
                    entries.Select(e => (IReadOnlyList<string>)[e.Address.ToString(), e.Address.ToHex(), e.Name ?? "", e.File]));
            });
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command Export(CliCommandFactory factory)
    {
        var key = CliOptions.KeyArgument("The key to export: its address or name");
        var command = new Command("export", "Print a key's private key as hex (after the password check)") { key, factory.Options.PasswordFile };
        factory.SetAction(command, (parse, context) =>
        {
            var privateKey = parse.GetValue(key)!.Unlock(context.Keystore, context.Passwords);
            context.Output.Warn("this is the unencrypted private key: anyone who sees it controls the account");
            context.Output.Result(new JsonObject { ["address"] = privateKey.Address.ToString(), ["privateKey"] = privateKey.ToHex() },
                output => output.Line(privateKey.ToHex()));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static KeystoreEntry Store(CommandContext context, ParseResult parse, CliOptions options, PrivateKey key, string? name, string password)
    {
        var kdf = parse.GetValue(options.LightKdf) ? new KeystoreKdfParams(N: KeystoreDirectory.LightScryptN) : new KeystoreKdfParams();
        return context.Keystore.Add(key, password, kdf, name);
    }

    private static PrivateKey ReadPrivateKeyFile(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"cannot read the private key file {file}: {e.Message}");
        }
        try
        {
            return PrivateKey.FromHex(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw CliException.Usage($"{file} does not hold a private key: {e.Message}");
        }
    }

    private static void Print(CommandContext context, KeystoreEntry entry, string verb) =>
        context.Output.Result(EntryJson(entry), output =>
        {
            output.Line(entry.Address.ToString());
            output.Fields([("hex", entry.Address.ToHex()), ("file", entry.File)]);
            output.MarkupLine($"[green]{verb}.[/] Back up the file and remember the password: neither can be recovered.");
        });

    private static JsonObject EntryJson(KeystoreEntry e) => new()
    {
        ["address"] = e.Address.ToString(),
        ["hex"] = e.Address.ToHex(),
        ["name"] = e.Name,
        ["file"] = e.File,
    };
}
