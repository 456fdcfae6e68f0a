using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Genesis;

/// <summary>
/// The emission module's genesis parameters (docs/emission.md): the first schedule cycle this
/// chain pays (epoch e pays cycle first_cycle + e) and the Keccak-256 of the emission table the
/// chain was launched with, which every node checks against its own computation at start.
/// </summary>
public sealed record EmissionParameters(ulong FirstCycle, string TableHash)
{
    /// <summary>The table hash the schedule's code computes (EmissionTable.PinnedHash in the chain; a test holds both equal).</summary>
    public const string StandardTableHash = "0x68d9ee0d5c376bd96d1e993fbf79e194d39992215a32108c12ce99b5327e4b38";

    /// <summary>One past the schedule's last cycle (74,036): first_cycle may be at most this (everything paid elsewhere).</summary>
    public const ulong CycleCount = 74_037;

    public static EmissionParameters Mainnet { get; } = new(0, StandardTableHash);

    public void Validate()
    {
        if (FirstCycle > CycleCount) throw new GenesisException($"emission first_cycle {FirstCycle} is past the schedule's end (at most {CycleCount})");
        var hex = TableHash.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? TableHash[2..] : TableHash;
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit)) throw new GenesisException($"emission table_hash must be 32 bytes of 0x-hex, got \"{TableHash}\"");
    }
}

/// <summary>
/// "modules": {"emission": {"first_cycle": 0, "table_hash": "0x..."}}. Absent, or a field left
/// out, is the mainnet value (first cycle 0, the standard table).
/// </summary>
public static class EmissionGenesisSection
{
    public const string Name = "emission";

    public static EmissionParameters Read(JsonElement? section)
    {
        var d = EmissionParameters.Mainnet;
        if (section is not { } s) return d;
        return new EmissionParameters(
            s.Or("first_cycle", e => e.GetUInt64(), d.FirstCycle),
            s.Or("table_hash", JsonFields.Text, d.TableHash));
    }

    /// <summary>The canonical bytes the genesis hash covers: rlp([first_cycle, table hash bytes]).</summary>
    public static byte[] Encode(GenesisConfig g) => Rlp.EncodeList(Rlp.EncodeUInt(g.Emission.FirstCycle), Rlp.EncodeBytes(Hex.Decode(g.Emission.TableHash)));

    public static JsonObject Write(GenesisConfig g) => new()
    {
        ["first_cycle"] = g.Emission.FirstCycle,
        ["table_hash"] = g.Emission.TableHash.ToLowerInvariant(),
    };
}
