using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Chain.Modules.Pools;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli.Commands;

/// <summary>excraft pool ...: create, update, join, leave and delete pools, and list or show them (docs/pools.md, docs/cli.md).</summary>
public static class PoolCommands
{
    public static Command Create(CliCommandFactory factory)
    {
        var command = new Command("pool", "Pools: create, update, join, leave, delete; list ranked pools, show one, its members and its rewards")
        {
            CreatePool(factory), Update(factory), Join(factory), Leave(factory), Delete(factory), List(factory), Show(factory), Members(factory), Rewards(factory),
        };
        command.Aliases.Add(PoolsModule.ModuleName);
        return command;
    }

    private static Option<ulong> PoolOption(string name, string description) => new(name) { Description = description, HelpName = "ID", Required = true };

    private static Command CreatePool(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var name = new Option<string>("--name") { Description = "The pool's name: 1 to 32 ASCII letters, digits, '-', '_' or '.'", HelpName = "NAME", Required = true };
        var retained = CliOptions.RateOption("--retained", "The master's share of the pool's rewards: a fraction (0.1) or a percentage (10%)", required: true);
        var command = new Command("create", "Create a pool with the sender as its master, locking the creation stake (excraft pool list shows the parameters with --json)") { name, retained };
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) =>
            new TransactionSender(context).SendAsync(tx.Request(parse, new CreatePoolPayload(parse.GetValue(name)!, parse.GetValue(retained)!.Value))));
        return command;
    }

    private static Command Update(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var pool = PoolOption("--pool", "The pool's id");
        var retained = CliOptions.RateOption("--retained", "The new retained share, within the per-epoch change limit", required: true);
        var command = new Command("update", "Change the retained percentage of a pool the sender masters") { pool, retained };
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) =>
            new TransactionSender(context).SendAsync(tx.Request(parse, new UpdatePoolPayload(parse.GetValue(pool), parse.GetValue(retained)!.Value))));
        return command;
    }

    private static Command Join(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var pool = PoolOption("--pool", "The pool's id");
        var command = new Command("join", "Join a pool (leaving the current one); PoE counts for it from the next epoch") { pool };
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) => new TransactionSender(context).SendAsync(tx.Request(parse, new JoinPoolPayload(parse.GetValue(pool)))));
        return command;
    }

    private static Command Leave(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var command = new Command("leave", "Leave the sender's pool; this epoch's PoE stays with it");
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) => new TransactionSender(context).SendAsync(tx.Request(parse, new LeavePoolPayload())));
        return command;
    }

    private static Command Delete(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var pool = PoolOption("--pool", "The pool's id");
        var moveTo = new Option<ulong>("--move-to") { Description = "Move every member into this pool instead of evicting them", HelpName = "ID" };
        var command = new Command("delete", "Delete a pool the sender masters; its stake returns at the end of the next epoch") { pool, moveTo };
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) =>
            new TransactionSender(context).SendAsync(tx.Request(parse, new DeletePoolPayload(parse.GetValue(pool), parse.GetValue(moveTo)))));
        return command;
    }

    private static Command List(CliCommandFactory factory)
    {
        var epoch = new Option<ulong?>("--epoch") { Description = "A closed epoch to rank by [default: the last closed one]", HelpName = "N" };
        var all = new Option<bool>("--all") { Description = "Include deleted pools" };
        var command = new Command("list", "List pools ranked by the PoE of a closed epoch: members, verified members, eligibility, reward") { epoch, all };
        factory.SetAction(command, async (parse, context) =>
        {
            var e = parse.GetValue(epoch);
            var result = await context.Node.CallAsync("pool_list", e is { } n ? JsonValue.Create(n) : null, JsonValue.Create(parse.GetValue(all))) as JsonObject
                ?? throw CliException.NotFound("pool_list returned nothing");
            var pools = (result["pools"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            context.Output.Result(result, output =>
            {
                output.Line(result.OptionalUInt64("epoch") is { } closed ? $"Ranked by epoch {Integer(closed)}" : "No epoch has closed yet");
                if (pools.Count == 0) output.Line("No pools.");
                else output.Table(["rank", "id", "name", "members", "verified", "PoE", "eligible", "reward (EXT)", "status"], pools.Select(p => (IReadOnlyList<string>)
                [
                    p.OptionalUInt64("rank") is { } r ? Integer(r) : "-", Integer(p.UInt64("id")), p.String("name"), Integer(p.UInt64("members")),
                    Integer(p.UInt64("verifiedMembers")), p.String("poe"), p.Bool("eligible") ? "yes" : "no", Core.Amount.Format(p.Units("reward")), p.String("status"),
                ]));
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliCommandFactory factory)
    {
        var pool = PoolArgument();
        var command = new Command("show", "Show one pool: master, retained share, stake, members and its last closed epoch's record") { pool };
        factory.SetAction(command, async (parse, context) =>
        {
            var text = parse.GetValue(pool)!;
            var p = await context.Node.CallAsync("pool_get", PoolId(text)) as JsonObject ?? throw CliException.NotFound($"no pool {text}");
            context.Output.Result(p, output => output.Fields(
            [
                ("id", Integer(p.UInt64("id"))), ("name", p.String("name")), ("master", p.String("master")),
                ("retained", StakingView.Rate(p, "retainedPpm")), ("stake", StakingView.Ext(p.Units("stake"))),
                ("status", p.String("status") + (p.Bool("stakeReturned") ? " (stake returned)" : "")), ("members", Integer(p.UInt64("members"))),
                ("last closed epoch", p.OptionalUInt64("epoch") is { } e ? Integer(e) : "none"),
                ("PoE", p.String("poe")), ("verified members", Integer(p.UInt64("verifiedMembers"))),
                ("rank", p.OptionalUInt64("rank") is { } r ? Integer(r) : "-"), ("eligible", p.Bool("eligible") ? "yes" : "no"),
                ("reward", StakingView.Ext(p.Units("reward"))),
            ]));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Argument<string> PoolArgument() => new("POOL") { Description = "The pool's id, or a live pool's name" };

    /// <summary>The pool argument as pool_get, pool_members and pool_rewards take it: a number is an id, anything else a name.</summary>
    private static JsonNode PoolId(string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(text)!;

    private static Command Members(CliCommandFactory factory)
    {
        var pool = PoolArgument();
        var limit = new Option<int>("--limit") { Description = "How many members at most", HelpName = "N", DefaultValueFactory = _ => 100 };
        var after = new Option<string?>("--after") { Description = "Start after this member (the previous page's 'next')", HelpName = "ADDRESS" };
        var command = new Command("members", "List a pool's members in address order, with the pool each is in now and from the next epoch") { pool, limit, after };
        factory.SetAction(command, async (parse, context) =>
        {
            var text = parse.GetValue(pool)!;
            var result = await context.Node.CallAsync("pool_members", PoolId(text), JsonValue.Create(parse.GetValue(limit)), parse.GetValue(after) is { } a ? JsonValue.Create(a) : null) as JsonObject
                ?? throw CliException.NotFound($"no pool {text}");
            var members = (result["members"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            context.Output.Result(result, output =>
            {
                if (members.Count == 0) output.Line("No members.");
                else output.Table(["account", "pool now", "from next epoch"], members.Select(m => (IReadOnlyList<string>)
                [
                    m.String("account"), m.OptionalUInt64("poolNow") is { } now ? Integer(now) : "-",
                    m.OptionalUInt64("nextFromEpoch") is { } from ? (m.OptionalUInt64("poolNext") is { } next ? $"pool {Integer(next)} from epoch {Integer(from)}" : $"none from epoch {Integer(from)}") : "same",
                ]));
                if (result.OptionalString("next") is { } more) output.Line($"More: --after {more}");
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Rewards(CliCommandFactory factory)
    {
        var pool = PoolArgument();
        var from = new Option<ulong?>("--from") { Description = "First closed epoch [default: as far back as one call reaches]", HelpName = "EPOCH" };
        var to = new Option<ulong?>("--to") { Description = "Last closed epoch [default: the last closed one]", HelpName = "EPOCH" };
        var command = new Command("rewards", "A pool's record per closed epoch: PoE, verified members, rank, eligibility, reward and its split") { pool, from, to };
        factory.SetAction(command, async (parse, context) =>
        {
            var text = parse.GetValue(pool)!;
            var f = parse.GetValue(from);
            var t = parse.GetValue(to);
            var result = await context.Node.CallAsync("pool_rewards", PoolId(text), f is { } fe ? JsonValue.Create(fe) : null, t is { } te ? JsonValue.Create(te) : null) as JsonArray
                ?? throw CliException.NotFound($"no pool {text}");
            var epochs = result.OfType<JsonObject>().ToList();
            context.Output.Result(result, output =>
            {
                if (epochs.Count == 0) output.Line("No closed epoch in the range.");
                else output.Table(["epoch", "PoE", "members", "verified", "rank", "eligible", "reward (EXT)", "master (EXT)", "members (EXT)", "paid"], epochs.Select(e => (IReadOnlyList<string>)
                [
                    Integer(e.UInt64("epoch")), e.String("poe"), Integer(e.UInt64("members")), Integer(e.UInt64("verifiedMembers")),
                    e.OptionalUInt64("rank") is { } r ? Integer(r) : "-", e.Bool("eligible") ? "yes" : "no", Core.Amount.Format(e.Units("reward")),
                    Core.Amount.Format(e.Units("masterReward")), Core.Amount.Format(e.Units("membersReward")), Integer(e.UInt64("payments")),
                ]));
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Integer(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
