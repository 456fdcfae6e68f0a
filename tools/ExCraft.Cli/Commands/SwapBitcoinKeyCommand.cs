using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Swaps.Engine.Bitcoin;
using NBitcoin;

namespace ExCraft.Cli.Commands;

/// <summary>
/// excraft swap bitcoin-key: what a party needs to know about the Bitcoin key of its swap
/// configuration: the public key to give as --my-outside-key or in terms, the address to fund,
/// and the confirmed coins the CLI's coin source finds there (docs/cli.md "Bitcoin legs").
/// </summary>
public static class SwapBitcoinKeyCommand
{
    public static Command Create(CliCommandFactory factory, Option<string?> configOption)
    {
        var command = new Command("bitcoin-key", "Show the swap config's Bitcoin key: public key, address to fund, spendable confirmed coins") { configOption };
        factory.SetAction(command, async (parse, context) =>
        {
            var config = SwapConfig.Load(context, parse.GetValue(configOption));
            var bitcoin = BitcoinSwapConfig.From(config.Root) ?? throw CliException.Usage("the swap config has no bitcoin section");
            using var node = await bitcoin.ConnectAsync(context.Cancel);
            var coins = await new KeyCoinSource(node, bitcoin.Key, bitcoin.ScanFromHeight).SpendableAsync(context.Cancel);
            var total = coins.Aggregate(Money.Zero, (sum, c) => sum + c.Amount);
            var address = bitcoin.Key.PubKey.GetAddress(ScriptPubKeyType.Segwit, bitcoin.Network).ToString();
            var json = new JsonObject
            {
                ["publicKey"] = "0x" + bitcoin.Key.PubKey.ToHex(), ["address"] = address, ["network"] = bitcoin.Network.Name,
                ["spendable"] = total.Satoshi.ToString(CultureInfo.InvariantCulture), ["coins"] = coins.Count,
            };
            context.Output.Result(json, output => output.Fields(
            [
                ("public key", "0x" + bitcoin.Key.PubKey.ToHex()), ("address", address), ("network", bitcoin.Network.Name),
                ("spendable", $"{Amount.Format((UInt128)total.Satoshi, 8)} BTC in {coins.Count} confirmed coins (from height {bitcoin.ScanFromHeight})"),
            ]));
            return ExitCodes.Success;
        });
        return command;
    }
}
