using System.Globalization;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>The types a payload field may have; each has one JSON form and one human form.</summary>
public enum PayloadFieldType
{
    /// <summary>An account or validator address: bech32 in JSON.</summary>
    Address,
    /// <summary>An asset symbol: a JSON string.</summary>
    Asset,
    /// <summary>Base units of an asset: a decimal string in JSON (it may exceed 2^53).</summary>
    Amount,
    /// <summary>A non-negative integer that fits 64 bits: a JSON number.</summary>
    Integer,
    /// <summary>A rate in parts per million: a JSON number, shown as a percentage.</summary>
    Ppm,
    /// <summary>Raw bytes: 0x-hex in JSON.</summary>
    Bytes,
    /// <summary>UTF-8 text: a JSON string.</summary>
    Text,
    /// <summary>true or false.</summary>
    Bool,
}

/// <summary>
/// One field of a payload's self-description: its JSON name, a human label, its type and value.
/// An Amount names the asset it counts (AssetSymbol) or, for an asset that does not exist yet,
/// its decimals (Decimals), so viewers can show it in decimal units without knowing the kind.
/// </summary>
public sealed record PayloadField(string Name, string Label, PayloadFieldType Type, object Value, string? AssetSymbol = null, int? Decimals = null)
{
    public static PayloadField Address(string name, string label, Address value) => new(name, label, PayloadFieldType.Address, value);

    public static PayloadField Asset(string name, string label, string symbol) => new(name, label, PayloadFieldType.Asset, symbol);

    public static PayloadField Amount(string name, string label, UInt128 units, string asset, int? decimals = null) =>
        new(name, label, PayloadFieldType.Amount, units, asset, decimals);

    public static PayloadField Integer(string name, string label, ulong value) => new(name, label, PayloadFieldType.Integer, value);

    public static PayloadField Ppm(string name, string label, uint value) => new(name, label, PayloadFieldType.Ppm, value);

    public static PayloadField Bytes(string name, string label, byte[] value) => new(name, label, PayloadFieldType.Bytes, value);

    public static PayloadField Text(string name, string label, string value) => new(name, label, PayloadFieldType.Text, value);

    public static PayloadField Bool(string name, string label, bool value) => new(name, label, PayloadFieldType.Bool, value);

    /// <summary>The value as plain text (amounts in base units, bytes as 0x-hex).</summary>
    public string ValueText => Value switch
    {
        Core.Address a => a.ToString(),
        UInt128 u => u.ToString(CultureInfo.InvariantCulture),
        ulong n => n.ToString(CultureInfo.InvariantCulture),
        uint n => n.ToString(CultureInfo.InvariantCulture),
        byte[] b => Hex.Encode(b),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(Value, CultureInfo.InvariantCulture) ?? "",
    };
}
