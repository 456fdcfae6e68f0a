using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli.Commands;

/// <summary>
/// excraft market params [set]: the markets module's governance parameters for the epoch-end fee
/// buyback (docs/markets.md "Fee buyback and burn", docs/cli.md "Markets"). They are chain-wide,
/// not per market, so the commands take no MARKET argument. set sends set_market_params (kind 33)
/// from the governance authority; a value left out keeps its current one, read from the node.
/// </summary>
public static class MarketParamsCommands
{
    public static Command Create(CliCommandFactory factory)
    {
        var command = new Command("params", "Show the chain-wide fee buyback parameters: burn share (at least 80%) and buyback slippage") { Set(factory) };
        factory.SetAction(command, async (_, context) =>
        {
            var p = await ReadAsync(context.Node);
            context.Output.Result(p, output => output.Fields(
            [
                ("fee burn share", $"{MarketInfo.Rate(p.UInt64("feeBurnPpm"))} ({p.UInt64("feeBurnPpm").ToString(CultureInfo.InvariantCulture)} ppm)"),
                ("minimum burn share", $"{MarketInfo.Rate(p.UInt64("minFeeBurnPpm"))} ({p.UInt64("minFeeBurnPpm").ToString(CultureInfo.InvariantCulture)} ppm)"),
                ("buyback slippage", $"{MarketInfo.Rate(p.UInt64("buybackSlippagePpm"))} ({p.UInt64("buybackSlippagePpm").ToString(CultureInfo.InvariantCulture)} ppm)"),
            ]));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Set(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var burn = new Option<uint?>("--fee-burn-ppm") { Description = "Share of each fee pool that buys back and burns EXT, in ppm: 800000 (80%) to 1000000 [default: unchanged]", HelpName = "N" };
        var slippage = new Option<uint?>("--buyback-slippage-ppm") { Description = "How far from the last trade price the buyback order may go, in ppm: 0 to 500000 (50%) [default: unchanged]", HelpName = "N" };
        var command = new Command("set", "Change the fee buyback parameters (the sender must be the markets governance authority; the next epoch end uses them)") { burn, slippage };
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, async (parse, context) =>
        {
            if (parse.GetValue(burn) is null && parse.GetValue(slippage) is null)
                throw CliException.Usage("give --fee-burn-ppm, --buyback-slippage-ppm or both");
            var current = await ReadAsync(context.Node);
            var payload = new SetMarketParamsPayload(
                parse.GetValue(burn) ?? checked((uint)current.UInt64("feeBurnPpm")),
                parse.GetValue(slippage) ?? checked((uint)current.UInt64("buybackSlippagePpm")));
            // Out-of-range values fail the payload's own check before signing (exit 1, the rule's message); the node would refuse them too.
            return await new TransactionSender(context).SendAsync(tx.Request(parse, payload));
        });
        return command;
    }

    private static async Task<JsonObject> ReadAsync(NodeClient node) =>
        await node.CallAsync("market_params") as JsonObject ?? throw CliException.NotFound("market_params returned nothing (the node has no markets module?)");
}
