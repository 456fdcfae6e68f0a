using System.CommandLine;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli.Commands;

/// <summary>
/// The options every transaction command has: --from, --fee, --nonce, --wait, --timeout,
/// --password-file. One instance per command (an option belongs to one command).
/// </summary>
internal sealed class TransactionOptions
{
    public Option<KeyReference> From { get; } = CliOptions.FromOption();
    public Option<UInt128?> Fee { get; } = CliOptions.FeeOption();
    public Option<ulong?> Nonce { get; } = new("--nonce") { Description = "Use this nonce [default: the sender's pending nonce from the node]", HelpName = "N" };
    public Option<bool> Wait { get; } = CliOptions.WaitOption();
    public Option<int> Timeout { get; } = CliOptions.TimeoutOption();

    public void AddTo(Command command, CliOptions options)
    {
        command.Add(From);
        command.Add(Fee);
        command.Add(Nonce);
        command.Add(Wait);
        command.Add(Timeout);
        command.Add(options.PasswordFile);
    }

    /// <summary>The request for <see cref="TransactionSender"/>; <paramref name="details"/> reads extra facts from a successful receipt.</summary>
    public TransactionSender.Request Request(ParseResult parse, TxPayload payload, TransactionSender.ReceiptDetails? details = null) =>
        new(parse.GetValue(From)!, payload, parse.GetValue(Fee), parse.GetValue(Nonce), parse.GetValue(Wait), parse.GetValue(Timeout), details);
}
