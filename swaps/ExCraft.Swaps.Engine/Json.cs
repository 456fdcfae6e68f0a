using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;

namespace ExCraft.Swaps.Engine;

/// <summary>Reads fields of the engine's JSON documents (terms, events, configuration) with clear errors.</summary>
internal static class Json
{
    public static string String(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new ArgumentException($"field '{name}' must be a string");

    public static string? OptionalString(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>An integer written as a JSON number or a decimal string (amounts exceed 64 bits).</summary>
    public static BigInteger Integer(JsonObject o, string name)
    {
        var node = o[name] as JsonValue ?? throw new ArgumentException($"field '{name}' is missing");
        // A parsed document holds JSON elements, one built in code holds the CLR value it was given.
        if (node.TryGetValue<long>(out var l)) return l;
        if (node.TryGetValue<int>(out var i)) return i;
        if (node.TryGetValue<ulong>(out var u)) return u;
        if (node.TryGetValue<string>(out var s) && BigInteger.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var b)) return b;
        throw new ArgumentException($"field '{name}' must be a non-negative integer");
    }

    public static byte[] Bytes(JsonObject o, string name) => Convert.FromHexString(Strip(String(o, name)));

    public static byte[]? OptionalBytes(JsonObject o, string name) => OptionalString(o, name) is { } s ? Convert.FromHexString(Strip(s)) : null;

    public static string Hex(byte[] bytes) => "0x" + Convert.ToHexString(bytes).ToLowerInvariant();

    private static string Strip(string hex) => hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
}
