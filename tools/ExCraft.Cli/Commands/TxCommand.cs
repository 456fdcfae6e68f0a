using System.CommandLine;
using System.Text.Json.Nodes;

namespace ExCraft.Cli.Commands;

/// <summary>excraft tx HASH: a transaction (pending or committed) and its receipt.</summary>
public static class TxCommand
{
    public static Command Create(CliCommandFactory factory)
    {
        var hash = CliOptions.HashArgument("Transaction hash (0x + 64 hex digits)");
        var command = new Command("tx", "Show a transaction and its receipt") { hash };
        factory.SetAction(command, async (parse, context) =>
        {
            var h = parse.GetValue(hash)!;
            var tx = await context.Node.TransactionAsync(h) ?? throw CliException.NotFound($"transaction {h} not found (not in a block nor in the mempool)");
            var receipt = await context.Node.ReceiptAsync(h);
            var rows = await TransactionView.TransactionRowsAsync(tx, context.Node);
            if (receipt is not null) rows.AddRange(TransactionView.ReceiptRows(receipt));
            context.Output.Result(new JsonObject { ["transaction"] = tx, ["receipt"] = receipt }, output => output.Fields(rows));
            return ExitCodes.Success;
        });
        return command;
    }
}
