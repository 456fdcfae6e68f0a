using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using ExCraft.Swaps.Ethereum;

namespace ExCraft.Swaps.Ethereum.Tests;

[Function("mint")]
public sealed class MintFunction : FunctionMessage
{
    [Parameter("address", "to", 1)] public string To { get; set; } = "";
    [Parameter("uint256", "amount", 2)] public BigInteger Amount { get; set; }
}

/// <summary>The test tokens of swaps/contracts/test, deployed from their committed artifacts.</summary>
public static class TestToken
{
    public const string Standard = "StandardToken";
    public const string NoReturn = "NoReturnToken";
    public const string FeeOnTransfer = "FeeOnTransferToken";

    public static ContractArtifact Artifact(string name) =>
        ContractArtifact.Parse(File.ReadAllText(Path.Combine(RepoPaths.Artifacts, name + ".json")));

    public static async Task<string> DeployAsync(TransactionSender deployer, string name)
    {
        var sent = await deployer.SendAsync(null, 0, Artifact(name).Bytecode);
        return (await deployer.WaitForReceiptAsync(sent.Hash, HtlcClient.DefaultReceiptTimeout)).ContractAddress;
    }

    public static async Task MintAsync(TransactionSender sender, string token, string to, BigInteger amount)
    {
        var sent = await sender.SendAsync(token, 0, new MintFunction { To = to, Amount = amount }.GetCallData());
        await sender.WaitForReceiptAsync(sent.Hash, HtlcClient.DefaultReceiptTimeout);
    }
}
