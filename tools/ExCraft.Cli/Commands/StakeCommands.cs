using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Consensus;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;
using ExCraft.Node;

namespace ExCraft.Cli.Commands;

/// <summary>
/// excraft stake ...: the staking transactions (create-validator, edit, delegate, undelegate,
/// redelegate, unjail, evidence; sent through <see cref="TransactionSender"/>) and the staking
/// queries (validators, validator, delegations, unbondings, params). SPEC section 4.
/// </summary>
public static class StakeCommands
{
    private const string Ext = AssetSymbol.Native;

    /// <summary>"stake", also reachable as the module's name "staking" (docs/modules.md: a module's name is its CLI group).</summary>
    public static Command Create(CliCommandFactory factory)
    {
        var command = new Command("stake", "Validators and delegations: staking transactions and queries")
        {
            CreateValidator(factory), Edit(factory), Delegate(factory), Undelegate(factory), Redelegate(factory), Unjail(factory), Evidence(factory),
            Validators(factory), Validator(factory), Delegations(factory), Unbondings(factory), Params(factory),
        };
        command.Aliases.Add(ExCraft.Chain.Modules.Staking.StakingModule.ModuleName);
        return command;
    }

    private static Command CreateValidator(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var key = new Option<byte[]?>("--consensus-key")
        {
            Description = "The consensus public key that signs the validator's votes: 33-byte compressed secp256k1 as hex",
            HelpName = "HEX",
            CustomParser = r =>
            {
                if (TryParseConsensusKey(r.Tokens.Single().Value, out var bytes, out var error)) return bytes;
                r.AddError($"--consensus-key: {error}");
                return null;
            },
        };
        var keyFile = new Option<string?>("--consensus-key-file")
        {
            Description = "Instead of --consensus-key: the node's validator key file {\"address\", \"private_key\"}; its public key is derived and sent, the private key stays in the file",
            HelpName = "FILE",
        };
        var moniker = MonikerOption("The validator's public name (1 to 64 characters)", required: true);
        var commission = CliOptions.RateOption("--commission", "Commission taken from delegators' rewards: a fraction (0.05) or a percentage (5%)", required: true);
        var maxCommission = CliOptions.RateOption("--max-commission", "The highest commission the validator may ever set (fixed for good)", required: true);
        var maxDailyChange = CliOptions.RateOption("--max-daily-change", "The largest commission change allowed per day (fixed for good)", required: true);
        var selfBond = CliOptions.AmountOption("--self-bond", "EXT bonded from the sender's balance, at least the chain's minimum self-bond (excraft stake params)");
        var command = new Command("create-validator", "Declare the sending account a validator candidate, bonding its self-bond; it joins the active set at the next epoch if its stake ranks high enough")
        {
            key, keyFile, moniker, commission, maxCommission, maxDailyChange, selfBond,
        };
        command.Validators.Add(r =>
        {
            if ((r.GetResult(key) is null) == (r.GetResult(keyFile) is null))
                r.AddError("stake create-validator needs exactly one of --consensus-key HEX and --consensus-key-file FILE");
        });
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) =>
        {
            var consensusKey = parse.GetValue(keyFile) is { } path ? ReadConsensusKeyFile(path) : parse.GetValue(key)!;
            var payload = new CreateValidatorPayload(consensusKey, parse.GetValue(moniker)!,
                parse.GetValue(commission)!.Value, parse.GetValue(maxCommission)!.Value, parse.GetValue(maxDailyChange)!.Value,
                CliOptions.ParseAmount("--self-bond", parse.GetValue(selfBond)!, Amount.ExtDecimals, Ext));
            return new TransactionSender(context).SendAsync(tx.Request(parse, payload));
        });
        return command;
    }

    private static Command Edit(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var moniker = MonikerOption("New public name (1 to 64 characters) [default: the current one]", required: false);
        var commission = CliOptions.RateOption("--commission", "New commission, a fraction (0.05) or a percentage (5%), within the maximum and the daily change, at most once a day [default: the current one]", required: false);
        var command = new Command("edit", "Change the sending validator's moniker and/or commission") { moniker, commission };
        command.Validators.Add(r =>
        {
            if (r.GetResult(moniker) is null && r.GetResult(commission) is null) r.AddError("stake edit needs --moniker NAME, --commission RATE or both");
        });
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, async (parse, context) =>
        {
            var sender = parse.GetValue(tx.From)!.AddressIn(context.Keystore);
            var current = await context.Node.ValidatorAsync(sender)
                ?? throw CliException.NotFound($"{sender} is not a validator (declare it with 'excraft stake create-validator')");
            var payload = new EditValidatorPayload(parse.GetValue(moniker) ?? current.String("moniker"), parse.GetValue(commission) ?? CommissionOf(current));
            return await new TransactionSender(context).SendAsync(tx.Request(parse, payload));
        });
        return command;
    }

    private static Command Delegate(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var validator = CliOptions.AddressOption("--validator", "The validator's operator address (ext1... or 0x...)");
        var amount = CliOptions.AmountOption("--amount", "EXT to bond from the sender's balance, e.g. 100 or 0.5");
        var command = new Command("delegate", "Bond EXT to a validator") { validator, amount };
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) =>
            new TransactionSender(context).SendAsync(tx.Request(parse, new DelegatePayload(parse.GetValue(validator), ExtAmount(parse, amount)))));
        return command;
    }

    private static Command Undelegate(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var validator = CliOptions.AddressOption("--validator", "The validator's operator address (ext1... or 0x...)");
        var amount = CliOptions.AmountOption("--amount", "EXT to unbond, e.g. 100 or 0.5; it returns to the balance after the unbonding period");
        var command = new Command("undelegate", "Start unbonding EXT from a validator; with --wait, prints when it completes") { validator, amount };
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) =>
            new TransactionSender(context).SendAsync(tx.Request(parse, new UndelegatePayload(parse.GetValue(validator), ExtAmount(parse, amount)), UnbondingCompletion)));
        return command;
    }

    private static Command Redelegate(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var source = CliOptions.AddressOption("--src", "The validator to move the stake from (operator address)");
        var destination = CliOptions.AddressOption("--dst", "The validator to move it to (operator address)");
        var amount = CliOptions.AmountOption("--amount", "EXT to move, e.g. 100 or 0.5");
        var command = new Command("redelegate", "Move bonded EXT from one validator to another at once, without unbonding") { source, destination, amount };
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) =>
            new TransactionSender(context).SendAsync(tx.Request(parse, new RedelegatePayload(parse.GetValue(source), parse.GetValue(destination), ExtAmount(parse, amount)))));
        return command;
    }

    private static Command Unjail(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var command = new Command("unjail", "Return the sending validator from jail once its jail time is over (not after double-signing)");
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) => new TransactionSender(context).SendAsync(tx.Request(parse, new UnjailPayload())));
        return command;
    }

    private static Command Evidence(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var file = new Option<string>("--file")
        {
            Description = "File holding the double-sign evidence as hex of its RLP (DoubleSignEvidence.Encode(): two conflicting votes of one validator)",
            HelpName = "FILE",
            Required = true,
        };
        var command = new Command("evidence", "Submit proof that a validator signed two conflicting votes; the chain slashes it and jails it for good") { file };
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, async (parse, context) =>
        {
            var path = parse.GetValue(file)!;
            var evidence = ReadEvidence(path);
            var chainId = await context.Node.ChainIdAsync();
            if (!evidence.Verify(chainId, out var error)) throw CliException.Usage($"--file: the evidence in {path} does not hold on chain {chainId}: {error}");
            return await new TransactionSender(context).SendAsync(tx.Request(parse, new SubmitEvidencePayload(evidence)));
        });
        return command;
    }

    private static Command Validators(CliCommandFactory factory)
    {
        var active = new Option<bool>("--active") { Description = "Only the validators of this epoch's active set [default: candidates too]" };
        var command = new Command("validators", "List the validators: moniker, operator, power, bonded EXT, commission and status; with the epoch and total power") { active };
        factory.SetAction(command, async (parse, context) =>
        {
            var result = await context.Node.ValidatorsAsync(includeCandidates: !parse.GetValue(active));
            var validators = (result["validators"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            context.Output.Result(result, output =>
            {
                output.Fields(
                [
                    ("epoch", StakingView.Integer(result.UInt64("epoch"))),
                    ("epoch start", StakingView.Time(result.UInt64("epochStartMs"))),
                    ("total power", StakingView.Integer(result.UInt64("totalPower"))),
                    ("active", StakingView.Integer((ulong)(result["active"] as JsonArray ?? []).Count)),
                ]);
                output.Line("");
                if (validators.Count == 0) output.Line("No validators.");
                else output.Table(["moniker", "operator", "power", "tokens (EXT)", "commission", "status"], validators.Select(StakingView.ValidatorCells));
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Validator(CliCommandFactory factory) => AccountQuery.Create(factory, "validator", "Show one validator",
        "The validator's operator address (ext1... or 0x...)",
        async q => await q.Node.ValidatorAsync(q.Address) ?? throw CliException.NotFound($"{q.Address} is not a validator"),
        AccountQuery.Fields(StakingView.ValidatorRows));

    private static Command Delegations(CliCommandFactory factory) => AccountQuery.Create(factory, "delegations", "List an account's delegations: validator and bonded EXT",
        "The delegator (ext1... or 0x...)",
        q => q.Node.DelegationsAsync(q.Address),
        AccountQuery.Table(delegator => $"{delegator} has no delegations.", ["validator", "moniker", "amount (EXT)"], MonikersAsync,
            (d, monikers) => [d.String("validator"), monikers.GetValueOrDefault(d.String("validator"), ""), Amount.Format(d.Units("amount"))]));

    private static Command Unbondings(CliCommandFactory factory) => AccountQuery.Create(factory, "unbondings", "List an account's unbondings: validator, EXT and when each returns to the balance",
        "The delegator (ext1... or 0x...)",
        q => q.Node.UnbondingsAsync(q.Address),
        AccountQuery.Table(delegator => $"{delegator} has no unbondings.", ["validator", "amount (EXT)", "completes"],
            u => [u.String("validator"), Amount.Format(u.Units("amount")), StakingView.Time(u.UInt64("completionMs"))]));

    private static Command Params(CliCommandFactory factory)
    {
        var command = new Command("params", "Show the chain's staking and slashing parameters");
        factory.SetAction(command, async (_, context) =>
        {
            var result = await context.Node.StakingParamsAsync();
            context.Output.Result(result, output => output.Fields(StakingView.ParamsRows(result)));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<string?> MonikerOption(string description, bool required) => new("--moniker")
    {
        Description = description,
        HelpName = "NAME",
        Required = required,
        Validators =
        {
            r =>
            {
                if (r.GetValueOrDefault<string?>() is { Length: 0 or > CreateValidatorPayload.MaxMonikerLength })
                    r.AddError($"--moniker: must be 1 to {CreateValidatorPayload.MaxMonikerLength} characters");
            },
        },
    };

    private static uint CommissionOf(JsonObject validator)
    {
        var ppm = validator.UInt64("commissionPpm");
        return ppm <= Ppm.One ? (uint)ppm : throw new RpcTransportException($"unexpected answer from the node: commission {ppm} ppm is above 100%");
    }

    /// <summary>An EXT amount option's value in base units (its syntax was checked while parsing).</summary>
    private static UInt128 ExtAmount(ParseResult parse, Option<string> amount) =>
        CliOptions.ParseAmount(amount.Name, parse.GetValue(amount)!, Amount.ExtDecimals, Ext);

    /// <summary>A consensus key as hex: 33-byte compressed, or 65-byte uncompressed (sent compressed).</summary>
    public static bool TryParseConsensusKey(string text, out byte[] compressed, out string error)
    {
        compressed = [];
        if (!Hex.TryDecode(text.Trim(), out var bytes, out error)) return false;
        if (!PublicKey.TryParse(bytes, out var key, out error) || key is null)
        {
            error = $"not a secp256k1 public key: {error}";
            return false;
        }
        compressed = key.Compressed;
        return true;
    }

    /// <summary>The compressed public key of a node validator key file (ValidatorKeyFile: {"address", "private_key"}).</summary>
    private static byte[] ReadConsensusKeyFile(string path)
    {
        try
        {
            return ValidatorKeyFile.Load(path).PublicKey.Compressed;
        }
        catch (NodeStartupException e)
        {
            throw CliException.Usage($"--consensus-key-file: {e.Message}");
        }
    }

    private static DoubleSignEvidence ReadEvidence(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"--file: cannot read {path}: {e.Message}");
        }
        try
        {
            return DoubleSignEvidence.Decode(Rlp.Decode(Hex.Decode(text)));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw CliException.Usage($"--file: {path} does not hold double-sign evidence (hex of its RLP): {e.Message}");
        }
    }

    /// <summary>With --wait: when the unbonding completes, from the receipt's unbonding_started event.</summary>
    private static IEnumerable<TransactionSender.ReceiptDetail> UnbondingCompletion(JsonObject receipt)
    {
        var started = (receipt["events"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(e => e.OptionalString("type") == "unbonding_started");
        if ((started?["attributes"] as JsonObject)?.OptionalString("completion_ms") is { } text
            && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            yield return new TransactionSender.ReceiptDetail("completionMs", ms, "unbonding completes", StakingView.Time(ms));
    }

    private static async Task<Dictionary<string, string>> MonikersAsync(NodeClient node) =>
        ((await node.ValidatorsAsync(includeCandidates: true))["validators"] as JsonArray ?? []).OfType<JsonObject>()
            .ToDictionary(v => v.String("operator"), v => v.String("moniker"));
}
