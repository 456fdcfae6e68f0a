using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ExCraft.Core.Encoding;
using ExCraft.Swaps.Engine;
using ExCraft.Swaps.Engine.Bitcoin;
using ExCraft.Swaps.Engine.Legs;

namespace ExCraft.Cli.Commands;

/// <summary>
/// excraft swap ...: cross-chain atomic swaps driven by the swap engine (docs/swaps-engine.md), in
/// the style of the classic atomic swap tools: initiate, participate, audit, redeem, refund,
/// extract-secret, list, show, and run (let the engine drive the swap to its end).
/// </summary>
public static class SwapCommands
{
    private static readonly Option<string?> ConfigOption = new("--swap-config")
    {
        Description = $"The swap configuration file: data directory and chain connections (else ${SwapConfig.Variable})",
        HelpName = "file",
    };

    public static Command Create(CliCommandFactory factory) =>
        new("swap", "Cross-chain atomic swaps of ExCraft assets against BTC, ETH and ERC20 tokens (docs/swaps-engine.md)")
        {
            Start(factory, "initiate", SwapRole.Initiator, "Start a swap as the initiator: make the secret, log the terms and lock the initiator's leg"),
            Start(factory, "participate", SwapRole.Participant, "Start a swap as the participant: log the terms, audit the initiator's lock and, if it passes, lock the participant's leg"),
            Audit(factory),
            Step(factory, "redeem", "Claim the counterparty's leg now if the secret is known and its lock passed the audit"),
            Step(factory, "refund", "Refund this side's leg if its timeout has passed"),
            ExtractSecret(factory),
            Run(factory),
            List(factory),
            Show(factory),
            SwapBitcoinKeyCommand.Create(factory, ConfigOption),
        };

    private static Argument<string> IdArgument() => new("id") { Description = "The swap id (its hash lock in hex)" };

    private static Command Start(CliCommandFactory factory, string name, SwapRole role, string description)
    {
        var terms = new Option<string>("--terms") { Description = "The agreed terms (JSON: hashLock, initiatorLeg, participantLeg); initiate fills in the hash lock", Required = true, HelpName = "file" };
        var command = new Command(name, description) { terms, ConfigOption };
        factory.SetAction(command, async (parse, context) =>
        {
            var config = SwapConfig.Load(context, parse.GetValue(ConfigOption));
            var json = ReadJson(parse.GetValue(terms)!);
            byte[]? secret = null;
            if (role == SwapRole.Initiator)
            {
                secret = RandomNumberGenerator.GetBytes(32);
                json["hashLock"] = "0x" + Convert.ToHexString(SHA256.HashData(secret)).ToLowerInvariant();
            }
            var agreement = Parse(() => SwapAgreement.FromJson(json));
            using var http = new HttpClient();
            var legs = await config.LegsAsync(context, http);
            var engine = Parse(() => SwapEngine.Create(new SwapStore(config.DataDir), agreement, role, secret, legs, config.Options(null)));
            var state = await engine.StepAsync(context.Cancel);
            Print(context, state, agreement.ToJson());
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Audit(CliCommandFactory factory)
    {
        var id = IdArgument();
        var command = new Command("audit", "Check the counterparty's locks against the agreed terms, without acting") { id, ConfigOption };
        factory.SetAction(command, async (parse, context) =>
        {
            var (engine, http) = await OpenAsync(parse, context, parse.GetValue(id)!);
            using (http)
            {
                var audits = await engine.AuditCounterLocksAsync(context.Cancel);
                var json = new JsonArray(audits.Select(a => (JsonNode)new JsonObject
                {
                    ["ref"] = a.Lock.Ref, ["asset"] = a.Lock.Asset, ["amount"] = a.Lock.Amount.ToString(), ["timeout"] = a.Lock.Timeout.ToString(),
                    ["confirmations"] = a.Lock.Confirmations, ["passes"] = a.Reasons.Count == 0,
                    ["reasons"] = new JsonArray(a.Reasons.Select(r => (JsonNode)r).ToArray()),
                }).ToArray());
                context.Output.Result(json, output =>
                {
                    if (audits.Count == 0) output.Line("no lock from the counterparty yet");
                    foreach (var (observed, reasons) in audits)
                        output.Line($"{observed.Ref}: {observed.Amount} {observed.Asset}, {observed.Confirmations} confirmations: {(reasons.Count == 0 ? "passes" : "refused: " + string.Join("; ", reasons))}");
                });
                return audits.Any(a => a.Reasons.Count == 0) ? ExitCodes.Success : ExitCodes.NotFound;
            }
        });
        return command;
    }

    private static Command Step(CliCommandFactory factory, string name, string description)
    {
        var id = IdArgument();
        var command = new Command(name, description) { id, ConfigOption };
        factory.SetAction(command, async (parse, context) =>
        {
            var (engine, http) = await OpenAsync(parse, context, parse.GetValue(id)!);
            using (http)
            {
                var before = engine.State;
                var after = await engine.StepAsync(context.Cancel);
                Print(context, after, null);
                var done = name == "redeem" ? after.CounterClaimTx != null : after.OwnRefundTx != null;
                if (!done) context.Environment.Error.WriteLine($"excraft: nothing to {name} yet for swap {after.Id}");
                return done || before.Finished ? ExitCodes.Success : ExitCodes.NotFound;
            }
        });
        return command;
    }

    private static Command ExtractSecret(CliCommandFactory factory)
    {
        var id = IdArgument();
        var command = new Command("extract-secret", "Print the secret, read from the counterparty's claim of this side's leg (or this side's own, as the initiator)") { id, ConfigOption };
        factory.SetAction(command, async (parse, context) =>
        {
            var (engine, http) = await OpenAsync(parse, context, parse.GetValue(id)!);
            using (http)
            {
                var state = await engine.StepAsync(context.Cancel);
                if (state.Secret == null) throw CliException.NotFound($"the secret of swap {state.Id} has not been revealed on chain yet");
                var hex = "0x" + Convert.ToHexString(state.Secret).ToLowerInvariant();
                context.Output.Result(new JsonObject { ["id"] = state.Id, ["secret"] = hex }, output => output.Line(hex));
                return ExitCodes.Success;
            }
        });
        return command;
    }

    private static Command Run(CliCommandFactory factory)
    {
        var id = new Argument<string[]>("id") { Description = "Swap ids to drive; none: every unfinished swap in the data directory", Arity = ArgumentArity.ZeroOrMore };
        var offer = new Option<string?>("--offer")
        {
            Description = "Run the swap of this taken swap offer (both parties run it; the initiator gives --secret or --secret-file); again later to resume it",
            HelpName = "OFFER_ID",
        };
        var secretHex = new Option<string?>("--secret") { Description = "With --offer, as the initiator: the 32-byte secret behind the offer's hash lock (hex)", HelpName = "HEX" };
        var secretFile = new Option<string?>("--secret-file")
        {
            Description = "With --offer, as the initiator: the file holding the secret (as written by `swap offer post/take --new-secret`)",
            HelpName = "file",
        };
        var nativeConfirmations = new Option<int>("--native-confirmations") { Description = "With --offer: how deep the native HTLC must be before the participant locks [default: 1]", HelpName = "N", DefaultValueFactory = _ => 1 };
        var outsideConfirmations = new Option<int>("--outside-confirmations") { Description = "With --offer: how deep the outside lock must be before the initiator claims [default: 1]", HelpName = "N", DefaultValueFactory = _ => 1 };
        var command = new Command("run", "Let the engine drive swaps to their end: audit, lock, claim, refund at the timeout; resumes after a crash")
        {
            id, offer, secretHex, secretFile, nativeConfirmations, outsideConfirmations, ConfigOption,
        };
        factory.SetAction(command, async (parse, context) =>
        {
            var config = SwapConfig.Load(context, parse.GetValue(ConfigOption));
            var store = new SwapStore(config.DataDir);
            using var http = new HttpClient();
            var legs = await config.LegsAsync(context, http);
            string[] ids;
            if (parse.GetValue(offer) is { } offerId)
            {
                if (parse.GetValue(id) is { Length: > 0 }) throw CliException.Usage("give either swap ids or --offer, not both");
                var secret = ReadSecret(parse.GetValue(secretHex), parse.GetValue(secretFile));
                ids = [await StartFromOfferAsync(context, config, store, legs, http, offerId, secret, parse.GetValue(nativeConfirmations), parse.GetValue(outsideConfirmations))];
            }
            else
            {
                ids = parse.GetValue(id) is { Length: > 0 } given ? given : store.SwapIds().Where(s => !SwapState.Fold(store.Read(s)).Finished).ToArray();
            }
            var output = context.Environment.Out;
            var options = config.Options(e => { lock (output) output.WriteLine(e.ToJson().ToJsonString()); }, notice => context.Environment.Error.WriteLine($"excraft: {notice}"));
            var runs = ids.Select(swapId => SwapEngine.Open(store, swapId, legs, options)
                .RunAsync(e => context.Environment.Error.WriteLine($"excraft: swap {swapId}: {e.Message}"), context.Cancel));
            var ends = await Task.WhenAll(runs);
            foreach (var end in ends) output.WriteLine($"{end.Id}: {end.Outcome}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The swap of a taken offer in the store: created from the offer's terms the first time
    /// (the role from this party's ExCraft key), opened as it is on every later run (resume).
    /// </summary>
    private static async Task<string> StartFromOfferAsync(
        CommandContext context, SwapConfig config, SwapStore store, SwapLegs legs, HttpClient http, string offerId, byte[]? secret, int nativeConfirmations, int outsideConfirmations)
    {
        if (Parse(() => legs.For(ExCraftLeg.ChainName)) is not ExCraftLeg native) throw CliException.Usage("the swap config has no excraft section");
        var terms = await ParseAsync(() => OfferAgreement.ReadAsync(config.ExCraftRpc(http), offerId, context.Cancel));
        var outside = Parse(() => legs.For(terms.OutsideChain));
        var outsideNow = await outside.NowAsync(context.Cancel);
        var (agreement, role) = Parse(() => OfferAgreement.For(terms, native.Address, outsideNow, nativeConfirmations, outsideConfirmations));
        if (outside is BitcoinLeg bitcoin)
        {
            // The script pays the claim key or the refund key, so this party's Bitcoin key must be the one the offer names for its role.
            var named = role == SwapRole.Initiator ? agreement.ParticipantLeg.Recipient : agreement.ParticipantLeg.RefundAddress;
            if (!string.Equals(bitcoin.PubKeyHex, named, StringComparison.OrdinalIgnoreCase))
                throw CliException.Usage($"the swap config's Bitcoin key (public key {bitcoin.PubKeyHex}) is not the key offer {offerId} names for the {role.ToString().ToLowerInvariant()} ({named})");
        }
        if (store.Exists(agreement.Id))
        {
            var existing = SwapState.Fold(store.Read(agreement.Id));
            if (existing.Role != role) throw CliException.Usage($"swap {agreement.Id} in {store.Directory} was started as the {existing.Role.ToString().ToLowerInvariant()}, but this key is the offer's {role.ToString().ToLowerInvariant()}");
            return agreement.Id; // resume: the terms logged at the start stay the terms
        }
        if (role == SwapRole.Initiator && secret == null)
            throw CliException.Usage($"this key is the initiator of offer {offerId}: give its secret with --secret or --secret-file");
        if (role == SwapRole.Participant && secret != null)
            throw CliException.Usage($"this key is the participant of offer {offerId}: it has no secret to give (--secret/--secret-file are for the initiator)");
        Parse(() => SwapEngine.Create(store, agreement, role, secret, legs, config.Options(null)));
        return agreement.Id;
    }

    private static byte[]? ReadSecret(string? hex, string? file)
    {
        if (hex != null && file != null) throw CliException.Usage("give --secret or --secret-file, not both");
        string? text;
        try
        {
            text = file != null ? File.ReadAllText(file).Trim() : hex;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"--secret-file {file}: {e.Message}");
        }
        if (text == null) return null;
        if (!Hex.TryDecode(text, out var secret, out _) || secret.Length != 32) throw CliException.Usage("the secret must be 32 bytes in hex");
        return secret;
    }

    private static Command List(CliCommandFactory factory)
    {
        var command = new Command("list", "List the swaps in the data directory with their role and state") { ConfigOption };
        factory.SetAction(command, (parse, context) =>
        {
            var store = new SwapStore(SwapConfig.Load(context, parse.GetValue(ConfigOption)).DataDir);
            var states = store.SwapIds().Select(s => SwapState.Fold(store.Read(s))).ToList();
            context.Output.Result(new JsonArray(states.Select(s => (JsonNode)Summary(s)).ToArray()), output =>
                output.Table(["id", "role", "last event", "outcome"],
                    states.Select(s => (IReadOnlyList<string>)[s.Id, s.Role.ToString().ToLowerInvariant(), s.Events[^1].Type, s.Outcome ?? "running"])));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command Show(CliCommandFactory factory)
    {
        var id = IdArgument();
        var follow = new Option<bool>("--follow")
        {
            Description = "Then print each new event as the engine appends it, until the swap finishes (with --json one JSON object per line)",
        };
        var command = new Command("show", "Show a swap's terms and its whole event log") { id, ConfigOption, follow };
        factory.SetAction(command, async (parse, context) =>
        {
            var config = SwapConfig.Load(context, parse.GetValue(ConfigOption));
            var store = new SwapStore(config.DataDir);
            var swapId = parse.GetValue(id)!;
            if (!store.Exists(swapId)) throw CliException.NotFound($"no swap {swapId} in {store.Directory}");
            if (!parse.GetValue(follow))
            {
                Print(context, SwapState.Fold(store.Read(swapId)), null);
                return ExitCodes.Success;
            }
            // The engine runs in another process (`swap run`) or in the node: follow its log file,
            // which only ever grows by whole, fsync'd lines, and stop after the finishing event.
            var printed = 0;
            while (true)
            {
                var events = store.Read(swapId);
                foreach (var e in events.Skip(printed))
                {
                    var o = Printable(e);
                    context.Output.Line(context.Output.Json ? o.ToJsonString() : $"{e.Seq} {e.Type} {o.ToJsonString()}");
                }
                printed = events.Count;
                if (events.Any(e => e.Type == SwapEventTypes.Finished)) return ExitCodes.Success;
                await Task.Delay(config.Options(null).PollInterval, context.Cancel);
            }
        });
        return command;
    }

    private static async Task<(SwapEngine Engine, HttpClient Http)> OpenAsync(ParseResult parse, CommandContext context, string swapId)
    {
        var config = SwapConfig.Load(context, parse.GetValue(ConfigOption));
        var store = new SwapStore(config.DataDir);
        if (!store.Exists(swapId)) throw CliException.NotFound($"no swap {swapId} in {store.Directory}");
        var http = new HttpClient();
        return (SwapEngine.Open(store, swapId, await config.LegsAsync(context, http), config.Options(null)), http);
    }

    private static JsonObject Summary(SwapState s) => new()
    {
        ["id"] = s.Id, ["role"] = s.Role.ToString().ToLowerInvariant(), ["lastEvent"] = s.Events[^1].Type, ["outcome"] = s.Outcome,
    };

    /// <summary>The swap's summary and events (secrets left out: `extract-secret` prints the secret on purpose).</summary>
    private static void Print(CommandContext context, SwapState state, JsonObject? terms)
    {
        var json = Summary(state);
        if (terms != null) json["terms"] = terms;
        json["events"] = new JsonArray(state.Events.Select(e => (JsonNode)Printable(e)).ToArray());
        context.Output.Result(json, output =>
        {
            output.Fields([("id", state.Id), ("role", state.Role.ToString().ToLowerInvariant()), ("outcome", state.Outcome ?? "running")]);
            if (terms != null) output.Line(terms.ToJsonString());
            foreach (var e in json["events"]!.AsArray()) output.Line(e!.ToJsonString());
        });
    }

    /// <summary>
    /// An event without the secret, nor the signed claim or refund kept for a fee bump (a claim's
    /// call data or witness holds the secret too): the transaction id stays.
    /// </summary>
    private static JsonObject Printable(SwapEvent e)
    {
        var o = e.ToJson();
        o.Remove("secret");
        o.Remove("replay");
        return o;
    }

    private static JsonObject ReadJson(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw CliException.Usage($"--terms {path}: not a JSON object");
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            throw CliException.Usage($"--terms {path}: {e.Message}");
        }
    }

    private static async Task<T> ParseAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw CliException.Usage(e.Message);
        }
    }

    private static T Parse<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw CliException.Usage(e.Message);
        }
    }
}
