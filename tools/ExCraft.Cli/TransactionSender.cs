using System.Diagnostics;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using ExCraft.Rpc.Methods;

namespace ExCraft.Cli;

/// <summary>
/// Builds, signs and submits a transaction (transfer, asset issue, register, stake ...): chain id from
/// ext_chainId, nonce from ext_getNonce(sender, "pending") unless given, then
/// ext_sendRawTransaction; with --wait, polls ext_getTransactionReceipt until the deadline.
/// </summary>
public sealed class TransactionSender(CommandContext context)
{
    /// <summary>
    /// The fee used when --fee is not given: 0.00001 EXT, the dev chain's minimum (genesis
    /// params.min_fee). The node does not report its minimum fee over RPC yet.
    /// </summary>
    public static readonly UInt128 DefaultFee = Amount.Parse("0.00001");

    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A fact a command reads from its successful receipt (e.g. when an unbonding completes): set as
    /// <c>JsonName</c> in the JSON document (unless it is empty) and printed as a <c>Label</c> row after the receipt.
    /// </summary>
    public sealed record ReceiptDetail(string JsonName, JsonNode? Json, string Label, string Text);

    public delegate IEnumerable<ReceiptDetail> ReceiptDetails(JsonObject receipt);

    public sealed record Request(KeyReference From, TxPayload Payload, UInt128? Fee, ulong? Nonce, bool Wait, int TimeoutSeconds, ReceiptDetails? Details = null,
        ReceiptFollowUp? FollowUp = null);

    /// <summary>
    /// What a follow-up read from the node after a successful receipt (e.g. an order's fate in its
    /// block's events): details to print, and a failure (exit code 3) when the transaction
    /// succeeded but what it asked for did not happen.
    /// </summary>
    public sealed record FollowUpResult(IReadOnlyList<ReceiptDetail> Details, string? Failure);

    public delegate Task<FollowUpResult> ReceiptFollowUp(JsonObject receipt, Address sender, NodeClient node);

    /// <summary>Sends the transaction and prints it (and its receipt with --wait); returns the exit code.</summary>
    public async Task<int> SendAsync(Request request)
    {
        if (ExCraft.Chain.Modules.ModuleRegistry.CheckStateless(request.Payload) is { } problem) throw CliException.Usage(problem);
        var node = context.Node;
        var chainId = await node.ChainIdAsync();
        var key = request.From.Unlock(context.Keystore, context.Passwords);
        var nonce = request.Nonce ?? await node.NonceAsync(key.Address, "pending");
        var tx = Transaction.Create(chainId, nonce, request.Fee ?? DefaultFee, request.Payload, key);
        var hash = await node.SendRawTransactionAsync(tx.Encoded);
        var receipt = request.Wait ? await WaitForReceiptAsync(hash, TimeSpan.FromSeconds(request.TimeoutSeconds)) : null;

        var json = ChainJson.Transaction(tx, key.Address, null, null);
        json.Remove("raw");
        json.Remove("blockHeight");
        json.Remove("index");
        json.Remove("pending");
        json["receipt"] = receipt;
        var succeeded = receipt is not null && TransactionView.Succeeded(receipt);
        var details = succeeded && request.Details is { } read ? read(receipt!).ToList() : [];
        var followUp = succeeded && request.FollowUp is { } follow ? await follow(receipt!, key.Address, node) : null;
        if (followUp is not null) details.AddRange(followUp.Details);
        foreach (var detail in details.Where(d => d.JsonName.Length > 0)) json[detail.JsonName] = detail.Json; // an empty name: a human row only
        context.Output.Result(json, output =>
        {
            output.Line(hash);
            if (receipt is not null) output.Fields([.. TransactionView.ReceiptRows(receipt), .. details.Select(d => (d.Label, d.Text))]);
        });

        if (receipt is not null && !TransactionView.Succeeded(receipt))
        {
            context.Environment.Error.WriteLine($"excraft: transaction {hash} failed in block {receipt.UInt64("blockHeight")}: {receipt.OptionalString("error")}");
            return ExitCodes.Rejected;
        }
        if (followUp?.Failure is { } failure)
        {
            context.Environment.Error.WriteLine($"excraft: {failure}");
            return ExitCodes.Rejected;
        }
        return ExitCodes.Success;
    }

    private async Task<JsonObject> WaitForReceiptAsync(string hash, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await context.Node.ReceiptAsync(hash) is { } receipt) return receipt;
            if (clock.Elapsed >= timeout)
                throw new CliException(ExitCodes.TimedOut, $"transaction {hash} was not in a block after {timeout.TotalSeconds:0} s (it may still be included: check with 'excraft tx {hash}')");
            await Task.Delay(PollInterval, context.Cancel);
        }
    }
}
