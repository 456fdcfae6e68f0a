using System.Text.Json;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.JsonRpc.Client;
using Nethereum.Util;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// Turns the revert data a node returns for eth_call or eth_estimateGas into the name of the
/// contract's custom error, using the error list of the contract's ABI.
/// </summary>
public sealed class RevertDecoder
{
    private const string ErrorStringSelector = "08c379a0"; // Error(string), from require(cond, "text")
    private readonly Dictionary<string, string> namesBySelector = new(StringComparer.OrdinalIgnoreCase);

    public RevertDecoder(string abiJson)
    {
        using var doc = JsonDocument.Parse(abiJson);
        foreach (var entry in doc.RootElement.EnumerateArray())
        {
            if (entry.GetProperty("type").GetString() != "error") continue;
            var name = entry.GetProperty("name").GetString()!;
            var types = entry.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("type").GetString());
            var signature = $"{name}({string.Join(",", types)})";
            namesBySelector[Sha3Keccack.Current.CalculateHash(signature)[..8]] = name;
        }
    }

    /// <summary>The error name in an RPC error, or null when the error carries no revert data.</summary>
    public string? Decode(RpcResponseException error)
    {
        var data = error.RpcError?.Data?.ToString();
        if (string.IsNullOrEmpty(data)) return null;
        // anvil gives the hex string itself; other nodes wrap it in an object: take the first hex run.
        var start = data.IndexOf("0x", StringComparison.Ordinal);
        if (start < 0) return null;
        var end = start + 2;
        while (end < data.Length && Uri.IsHexDigit(data[end])) end++;
        return DecodeData(data[start..end]);
    }

    public string DecodeData(string hex)
    {
        var body = hex.RemoveHexPrefix();
        if (body.Length < 8) return "unknown";
        var selector = body[..8];
        if (namesBySelector.TryGetValue(selector, out var name)) return name;
        if (selector.Equals(ErrorStringSelector, StringComparison.OrdinalIgnoreCase))
            return new FunctionCallDecoder().DecodeFunctionErrorMessage(hex);
        return "unknown";
    }
}
