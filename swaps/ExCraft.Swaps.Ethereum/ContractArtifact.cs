using System.Text.Json;
using Nethereum.Hex.HexConvertors.Extensions;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// One solc artifact written by swaps/contracts/compile.js: the ABI and the creation bytecode.
/// </summary>
public sealed record ContractArtifact(string ContractName, string Compiler, string AbiJson, byte[] Bytecode)
{
    /// <summary>The HTLC contract's artifact, embedded in this assembly at build time.</summary>
    public static ContractArtifact Htlc { get; } = FromEmbedded("ExCraftHtlc.json");

    public static ContractArtifact Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var bytecode = root.GetProperty("bytecode").GetString() ?? "";
        if (bytecode.RemoveHexPrefix().Length == 0) throw new InvalidDataException("the artifact has no bytecode");
        return new ContractArtifact(
            root.GetProperty("contractName").GetString() ?? "",
            root.GetProperty("compiler").GetString() ?? "",
            root.GetProperty("abi").GetRawText(),
            bytecode.HexToByteArray());
    }

    private static ContractArtifact FromEmbedded(string name)
    {
        using var stream = typeof(ContractArtifact).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the embedded artifact {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
