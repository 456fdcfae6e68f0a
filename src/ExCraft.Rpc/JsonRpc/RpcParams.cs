using System.Text.Json;
using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Rpc.JsonRpc;

/// <summary>Positional parameters of one call, read with checks that name the bad parameter.</summary>
public sealed class RpcParams(string method, JsonElement? raw)
{
    private readonly JsonElement[] _items = raw switch
    {
        null => [],
        { ValueKind: JsonValueKind.Array } a => [.. a.EnumerateArray()],
        { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null } => [],
        _ => throw new RpcException(RpcErrorCodes.InvalidParams, $"{method}: params must be an array"),
    };

    public int Count => _items.Length;

    public JsonElement? Optional(int index) => index < _items.Length && _items[index].ValueKind != JsonValueKind.Null ? _items[index] : null;

    public JsonElement Required(int index, string name) =>
        Optional(index) ?? throw Invalid(index, name, "is missing");

    public string String(int index, string name)
    {
        var value = Required(index, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(index, name, "must be a string");
    }

    public string? OptionalString(int index, string name) => Optional(index) is null ? null : String(index, name);

    public Address Address(int index, string name = "address") =>
        Core.Address.TryParse(String(index, name), out var address, out var error) ? address : throw Invalid(index, name, error);

    public byte[] Hash(int index, string name = "hash")
    {
        if (!Hex.TryDecode(String(index, name), out var bytes, out var error)) throw Invalid(index, name, error);
        return bytes.Length == 32 ? bytes : throw Invalid(index, name, $"must be 32 bytes, got {bytes.Length}");
    }

    public byte[] HexBytes(int index, string name) =>
        Hex.TryDecode(String(index, name), out var bytes, out var error) ? bytes : throw Invalid(index, name, error);

    public bool Bool(int index, string name, bool fallback) => Optional(index) switch
    {
        null => fallback,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Invalid(index, name, "must be true or false"),
    };

    public int Int(int index, string name, int fallback, int min, int max)
    {
        if (Optional(index) is not { } value) return fallback;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n)) throw Invalid(index, name, "must be an integer");
        return n >= min && n <= max ? n : throw Invalid(index, name, $"must be between {min} and {max}");
    }

    /// <summary>A block height given as a number or "latest".</summary>
    public ulong Height(int index, string name, ulong latest)
    {
        var value = Required(index, name);
        if (value.ValueKind == JsonValueKind.String && value.GetString() == "latest") return latest;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var height)) return height;
        throw Invalid(index, name, "must be a block height or \"latest\"");
    }

    private RpcException Invalid(int index, string name, string problem) =>
        new(RpcErrorCodes.InvalidParams, $"{method}: parameter {index} ({name}) {problem}");
}
