using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Nethereum.Hex.HexConvertors.Extensions;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// A <see cref="SentTransaction"/> as one JSON string, so that a swap log can keep what a later
/// replacement needs (nonce, call, gas, fees) across a restart. Integers are decimal strings.
/// </summary>
public static class SentTransactionJson
{
    public static string Write(SentTransaction sent) => new JsonObject
    {
        ["hash"] = sent.Hash, ["from"] = sent.From, ["to"] = sent.To, ["nonce"] = Dec(sent.Nonce), ["value"] = Dec(sent.Value),
        ["data"] = sent.Data.ToHex(true), ["gas"] = Dec(sent.GasLimit),
        ["maxPriorityFeePerGas"] = Dec(sent.Fees.MaxPriorityFeePerGas), ["maxFeePerGas"] = Dec(sent.Fees.MaxFeePerGas),
        ["raw"] = sent.Raw,
    }.ToJsonString();

    public static SentTransaction Read(string json)
    {
        var o = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("a sent transaction is a JSON object");
        return new SentTransaction(
            Text(o, "hash"), Text(o, "from"), o["to"]?.GetValue<string>(), Int(o, "nonce"), Int(o, "value"), Text(o, "data").HexToByteArray(),
            Int(o, "gas"), new Eip1559Fees(Int(o, "maxPriorityFeePerGas"), Int(o, "maxFeePerGas")), o["raw"]?.GetValue<string>());
    }

    private static string Dec(BigInteger v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Text(JsonObject o, string name) =>
        o[name]?.GetValue<string>() ?? throw new FormatException($"a sent transaction needs '{name}'");

    private static BigInteger Int(JsonObject o, string name) => BigInteger.Parse(Text(o, name), NumberStyles.None, CultureInfo.InvariantCulture);
}
