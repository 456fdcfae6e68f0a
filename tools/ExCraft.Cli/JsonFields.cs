using System.Globalization;
using System.Text.Json.Nodes;

namespace ExCraft.Cli;

/// <summary>Typed reads of fields in the node's JSON answers; a missing or mistyped field is a protocol error (exit code 2).</summary>
public static class JsonFields
{
    public static string String(this JsonNode node, string name) =>
        node[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Missing(name, "a string");

    public static string? OptionalString(this JsonNode node, string name) =>
        node[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static ulong UInt64(this JsonNode node, string name) =>
        node[name] is JsonValue v && v.TryGetValue<ulong>(out var n) ? n : throw Missing(name, "an integer");

    public static ulong? OptionalUInt64(this JsonNode node, string name) =>
        node[name] is JsonValue v && v.TryGetValue<ulong>(out var n) ? n : null;

    public static bool Bool(this JsonNode node, string name) =>
        node[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw Missing(name, "true or false");

    public static int Int32(this JsonNode node, string name) =>
        node[name] is JsonValue v && v.TryGetValue<int>(out var n) ? n : throw Missing(name, "an integer");

    /// <summary>A base-unit amount, which the node sends as a decimal integer string.</summary>
    public static UInt128 Units(this JsonNode node, string name) =>
        UInt128.TryParse(node.String(name), NumberStyles.None, CultureInfo.InvariantCulture, out var units) ? units : throw Missing(name, "a base-unit integer string");

    /// <summary>A scalar result such as ext_chainId's.</summary>
    public static ulong AsUInt64(this JsonNode? node, string method) =>
        node is JsonValue v && v.TryGetValue<ulong>(out var n) ? n : throw new RpcTransportException($"{method} returned {node?.ToJsonString() ?? "null"}, expected an integer");

    private static RpcTransportException Missing(string name, string expected) =>
        new($"unexpected answer from the node: field '{name}' is not {expected}");
}
