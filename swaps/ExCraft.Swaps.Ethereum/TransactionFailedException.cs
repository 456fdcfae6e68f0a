namespace ExCraft.Swaps.Ethereum;

/// <summary>A transaction that was mined but failed (receipt status 0). Its gas was still paid.</summary>
public sealed class TransactionFailedException(string hash, Nethereum.RPC.Eth.DTOs.TransactionReceipt receipt)
    : Exception($"transaction {hash} was mined in block {receipt.BlockNumber?.Value} but failed (status 0)")
{
    public Nethereum.RPC.Eth.DTOs.TransactionReceipt Receipt { get; } = receipt;
}
