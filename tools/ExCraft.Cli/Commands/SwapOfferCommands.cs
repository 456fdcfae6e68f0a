using System.CommandLine;
using System.CommandLine.Parsing;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli.Commands;

/// <summary>
/// excraft swap offer post | take | cancel | list | show: the on-chain order book of cross-chain
/// swaps (docs/swap-offers.md, docs/cli.md). Running a taken swap is the swap engine's job
/// (excraft swap ...); these commands make, take and read offers.
/// </summary>
public static class SwapOfferCommands
{
    /// <summary>Adds "offer" under the "swap" command, creating "swap" when no other command made it.</summary>
    public static void AddTo(RootCommand root, CliCommandFactory factory)
    {
        var swap = root.Subcommands.Single(c => c.Name == "swap"); // the swap engine's command group (SwapCommands)
        swap.Add(new Command("offer", "Swap offers on chain: post, take, cancel, list, show")
        {
            Post(factory), Take(factory), Cancel(factory), List(factory), Show(factory),
        });
    }

    private static Command Post(CliCommandFactory factory)
    {
        var common = new TransactionOptions();
        var gives = new Option<string>("--gives")
        {
            Description = "Which side you give: native (the ExCraft asset, escrowed now; you are the initiator and need --hash-lock) or outside (the taker brings the ExCraft asset and the hash)",
            HelpName = "native|outside",
            Required = true,
        };
        gives.AcceptOnlyFromAmong("native", "outside");
        var nativeAsset = CliOptions.AssetOption("--native-asset", $"The ExCraft asset [default: {AssetSymbol.Native}]", required: false);
        var nativeAmount = CliOptions.AmountOption("--native-amount", "The ExCraft asset's amount, in decimal units");
        var chain = OutsideChainOption();
        var outsideAsset = new Option<string>("--outside-asset")
        {
            Description = "BTC on bitcoin; ETH or an ERC20 contract (0x and 40 hex digits) on ethereum [default: the chain's coin]",
            HelpName = "ASSET",
        };
        var outsideAmount = CliOptions.AmountOption("--outside-amount", "The outside asset's amount in decimal units (8 places for BTC, 18 for ETH, --outside-decimals for an ERC20)");
        var outsideDecimals = new Option<int>("--outside-decimals")
        {
            Description = "Decimal places of an ERC20 outside asset [default: 0, i.e. base units]",
            HelpName = "D",
            Validators = { r => { if (r.GetValueOrDefault<int>() is < 0 or > 36) r.AddError("--outside-decimals: must be 0 to 36"); } },
        };
        var myKey = OutsideKeyOption("Your key on the outside chain: a 33-byte compressed public key (bitcoin) or a 20-byte address (ethereum), 0x-hex");
        var hashLock = HashLockOption("With --gives native: the SHA-256 hash of your 32-byte secret (you are the initiator)");
        var newSecretPost = NewSecretOption();
        var lockBlocks = new Option<ulong>("--lock-blocks")
        {
            Description = $"The native HTLC's lifetime from the take, in ExCraft blocks (1 to {SwapOfferRules.MaxLockBlocks})",
            HelpName = "BLOCKS",
            Required = true,
        };
        var outsideSeconds = new Option<ulong?>("--outside-lock-seconds")
        {
            Description = $"On ethereum: the outside lock's longest lifetime in seconds (1 to {SwapOfferRules.MaxOutsideLockSeconds}); keep the native lifetime at least twice as long",
            HelpName = "SECONDS",
        };
        var outsideHeight = new Option<ulong?>("--outside-timeout-height")
        {
            Description = "On bitcoin: the exact Bitcoin block height the outside lock times out at (its script commits to it; docs/swaps.md); keep the native lifetime at least twice as long",
            HelpName = "HEIGHT",
        };
        var expiresIn = new Option<ulong>("--expires-in")
        {
            Description = "Blocks from the current head until the offer expires (it can be taken below that height)",
            HelpName = "BLOCKS",
            Required = true,
            Validators = { r => { if (r.GetValueOrDefault<ulong>() == 0) r.AddError("--expires-in: must be at least 1 block"); } },
        };
        var command = new Command("post", "Offer a swap: give an ExCraft asset for a Bitcoin/Ethereum asset, or the reverse")
        {
            gives, nativeAsset, nativeAmount, chain, outsideAsset, outsideAmount, outsideDecimals, myKey, hashLock, newSecretPost, lockBlocks, outsideSeconds, outsideHeight, expiresIn,
        };
        common.AddTo(command, factory.Options);
        factory.SetAction(command, async (parse, context) =>
        {
            var symbol = parse.GetValue(nativeAsset) ?? AssetSymbol.Native;
            var units = CliOptions.ParseAmount("--native-amount", parse.GetValue(nativeAmount)!, await context.Node.DecimalsAsync(symbol), symbol);
            var outsideChain = parse.GetValue(chain)!;
            var outsideLock = OutsideLock(outsideChain, parse.GetValue(outsideSeconds), parse.GetValue(outsideHeight));
            var outside = parse.GetValue(outsideAsset) ?? (outsideChain == SwapOfferRules.Bitcoin ? SwapOfferRules.Btc : SwapOfferRules.Eth);
            if (outside.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) outside = outside.ToLowerInvariant();
            var decimals = outside switch { SwapOfferRules.Btc => 8, SwapOfferRules.Eth => 18, _ => parse.GetValue(outsideDecimals) };
            var outsideUnits = CliOptions.ParseAmount("--outside-amount", parse.GetValue(outsideAmount)!, decimals, outside);
            var side = parse.GetValue(gives) == "native" ? SwapOfferSide.MakerGivesNative : SwapOfferSide.MakerGivesOutside;
            var head = (await context.Node.BlockAsync(null))?.UInt64("height") ?? 0;
            var payload = new SwapOfferPostPayload(side, symbol, units, outsideChain, outside, outsideUnits, parse.GetValue(myKey)!,
                HashLockOrNewSecret(parse.GetValue(hashLock), parse.GetValue(newSecretPost)),
                parse.GetValue(lockBlocks), outsideLock, head + parse.GetValue(expiresIn));
            return await new TransactionSender(context).SendAsync(common.Request(parse, payload, receipt => EventDetail(receipt, "swap_offer_posted", "id", "offerId", "offer id")));
        });
        return command;
    }

    /// <summary>
    /// The offer's outside lock field: seconds on ethereum; on bitcoin the exact timeout height,
    /// which both parties' scripts must commit to (docs/swaps.md "Bitcoin offers: the exact timeout").
    /// </summary>
    private static ulong OutsideLock(string chain, ulong? seconds, ulong? height)
    {
        if (chain == SwapOfferRules.Bitcoin)
        {
            if (seconds != null) throw CliException.Usage("--outside-lock-seconds is for ethereum: on bitcoin give --outside-timeout-height, the exact height the script commits to");
            return height ?? throw CliException.Usage("--outside-timeout-height is required on bitcoin");
        }
        if (height != null) throw CliException.Usage("--outside-timeout-height is for bitcoin: on ethereum give --outside-lock-seconds");
        return seconds ?? throw CliException.Usage("--outside-lock-seconds is required on ethereum");
    }

    private static Command Take(CliCommandFactory factory)
    {
        var common = new TransactionOptions();
        var id = OfferIdArgument();
        var myKey = OutsideKeyOption("Your key on the offer's outside chain: a 33-byte compressed public key (bitcoin) or a 20-byte address (ethereum), 0x-hex");
        var hashLock = HashLockOption("When the maker gives the outside side: the SHA-256 hash of your 32-byte secret (you are the initiator, and your ExCraft asset is locked now)");
        var newSecret = NewSecretOption();
        var command = new Command("take", "Take an open offer whole: the native side is locked in an HTLC at once and the swap's terms are fixed") { id, myKey, hashLock, newSecret };
        common.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) =>
        {
            var payload = new SwapOfferTakePayload(parse.GetValue(id)!, parse.GetValue(myKey)!, HashLockOrNewSecret(parse.GetValue(hashLock), parse.GetValue(newSecret)));
            return new TransactionSender(context).SendAsync(common.Request(parse, payload, receipt => EventDetail(receipt, "swap_offer_taken", "htlcId", "htlcId", "native HTLC")));
        });
        return command;
    }

    private static Option<string?> NewSecretOption() => new("--new-secret")
    {
        Description = "As the initiator, instead of --hash-lock: make a fresh 32-byte secret, write it (hex) to this new file and use its SHA-256 as the hash lock; `swap run --offer ID --secret-file` reads it",
        HelpName = "file",
    };

    /// <summary>The hash lock given, or that of a fresh secret written to a new file first (so it is kept before the chain sees the hash).</summary>
    private static byte[] HashLockOrNewSecret(byte[]? hashLock, string? newSecretFile)
    {
        if (newSecretFile == null) return hashLock ?? [];
        if (hashLock is { Length: > 0 }) throw CliException.Usage("give --hash-lock or --new-secret, not both");
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        try
        {
            using var file = new FileStream(newSecretFile, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(newSecretFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            file.Write(System.Text.Encoding.ASCII.GetBytes(Hex.Encode(secret) + "\n"));
            file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"--new-secret {newSecretFile}: {e.Message}");
        }
        return System.Security.Cryptography.SHA256.HashData(secret);
    }

    private static Command Cancel(CliCommandFactory factory)
    {
        var common = new TransactionOptions();
        var id = OfferIdArgument();
        var command = new Command("cancel", "Cancel your open offer; an escrowed ExCraft amount comes back") { id };
        common.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) => new TransactionSender(context).SendAsync(common.Request(parse, new SwapOfferCancelPayload(parse.GetValue(id)!))));
        return command;
    }

    private static Command List(CliCommandFactory factory)
    {
        var account = new Option<Address?>("--account")
        {
            Description = "List the offers this account made or took, any status (ext1... or 0x...)",
            HelpName = "ADDRESS",
            CustomParser = r =>
            {
                if (Address.TryParse(r.Tokens.Single().Value, out var a, out var error)) return a;
                r.AddError($"--account: {error}");
                return null;
            },
        };
        var nativeAsset = CliOptions.AssetOption("--native-asset", "Only open offers of this ExCraft asset (with --chain and --outside-asset)", required: false);
        var chain = OutsideChainOption(required: false);
        var outsideAsset = new Option<string>("--outside-asset") { Description = "Only open offers of this outside asset (with --chain)", HelpName = "ASSET" };
        var limit = new Option<int>("--limit")
        {
            Description = "At most this many offers (1 to 100)",
            HelpName = "N",
            DefaultValueFactory = _ => 100,
            Validators = { r => { if (r.GetValueOrDefault<int>() is < 1 or > 100) r.AddError("--limit: must be 1 to 100"); } },
        };
        var after = new Option<byte[]?>("--after") { Description = "Start after this offer id (the previous page's next)", HelpName = "ID", CustomParser = r => ParseId(r, "--after") };
        var command = new Command("list", "List open offers (oldest first), those of one pair, or an account's offers") { account, nativeAsset, chain, outsideAsset, limit, after };
        factory.SetAction(command, async (parse, context) =>
        {
            using var node = new SwapOfferNode(context);
            var pairGiven = parse.GetValue(chain) is not null || parse.GetValue(outsideAsset) is not null || parse.GetValue(nativeAsset) is not null;
            if (pairGiven && parse.GetValue(account) is not null) throw CliException.Usage("--account lists one account's offers; it does not combine with a pair (--native-asset, --chain, --outside-asset)");
            var page = parse.GetValue(account) is { } a
                ? await node.ByAccountAsync(a, parse.GetValue(limit), parse.GetValue(after))
                : pairGiven
                    ? await node.OpenOfPairAsync(parse.GetValue(nativeAsset) ?? AssetSymbol.Native,
                        parse.GetValue(chain) ?? throw CliException.Usage("a pair needs --chain"),
                        PairAsset(parse.GetValue(chain)!, parse.GetValue(outsideAsset)), parse.GetValue(limit), parse.GetValue(after))
                    : await node.OpenAsync(parse.GetValue(limit), parse.GetValue(after));
            context.Output.Result(page, output => SwapOfferView.Page(output, page));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliCommandFactory factory)
    {
        var id = OfferIdArgument();
        var command = new Command("show", "Show one offer, and the swap's terms once it is taken") { id };
        factory.SetAction(command, async (parse, context) =>
        {
            using var node = new SwapOfferNode(context);
            var offer = await node.OfferAsync(parse.GetValue(id)!);
            context.Output.Result(offer, output => output.Fields(SwapOfferView.Rows(offer)));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string PairAsset(string chain, string? asset) =>
        asset is null ? (chain == SwapOfferRules.Bitcoin ? SwapOfferRules.Btc : SwapOfferRules.Eth)
            : asset.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? asset.ToLowerInvariant() : asset;

    /// <summary>An attribute of the receipt's event, shown after the receipt (the new offer's id, the take's HTLC id).</summary>
    private static IEnumerable<TransactionSender.ReceiptDetail> EventDetail(System.Text.Json.Nodes.JsonObject receipt, string eventType, string attribute, string jsonName, string label)
    {
        foreach (var e in receipt["events"]?.AsArray().OfType<System.Text.Json.Nodes.JsonObject>() ?? [])
        {
            if (e.OptionalString("type") == eventType && e["attributes"]?.OptionalString(attribute) is { } value)
                yield return new TransactionSender.ReceiptDetail(jsonName, value, label, value);
        }
    }

    private static Option<string> OutsideChainOption(bool required = true)
    {
        var option = new Option<string>("--chain") { Description = "The outside chain: bitcoin or ethereum", HelpName = "bitcoin|ethereum", Required = required };
        option.AcceptOnlyFromAmong([.. SwapOfferRules.Chains]);
        return option;
    }

    private static Option<byte[]> OutsideKeyOption(string description) => new("--my-outside-key")
    {
        Description = description,
        HelpName = "HEX",
        Required = true,
        CustomParser = r =>
        {
            if (Hex.TryDecode(r.Tokens.Single().Value.Trim(), out var bytes, out var error)) return bytes;
            r.AddError($"--my-outside-key: {error}");
            return [];
        },
    };

    private static Option<byte[]?> HashLockOption(string description) => new("--hash-lock")
    {
        Description = description,
        HelpName = "HEX",
        CustomParser = r =>
        {
            if (!Hex.TryDecode(r.Tokens.Single().Value.Trim(), out var bytes, out var error)) r.AddError($"--hash-lock: {error}");
            else if (bytes.Length != HtlcRules.HashLength) r.AddError($"--hash-lock: a SHA-256 hash is {HtlcRules.HashLength} bytes, got {bytes.Length}");
            else return bytes;
            return null;
        },
    };

    private static Argument<byte[]> OfferIdArgument() => new("ID")
    {
        Description = "The offer id (0x and 64 hex digits)",
        CustomParser = r => ParseId(r, "ID") ?? [],
    };

    private static byte[]? ParseId(ArgumentResult r, string name)
    {
        if (!Hex.TryDecode(r.Tokens.Single().Value.Trim(), out var bytes, out var error)) r.AddError($"{name}: {error}");
        else if (bytes.Length != SwapOfferRules.IdLength) r.AddError($"{name}: an offer id is {SwapOfferRules.IdLength} bytes, got {bytes.Length}");
        else return bytes;
        return null;
    }
}
