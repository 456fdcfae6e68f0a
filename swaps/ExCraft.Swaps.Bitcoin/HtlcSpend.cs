using NBitcoin;

namespace ExCraft.Swaps.Bitcoin;

public enum HtlcSpendKind { Claim, Refund }

/// <summary>
/// A transaction input that spends an HTLC output, read from its witness. A claim's witness
/// carries the preimage, which is how the other side of a swap learns the secret.
/// </summary>
public sealed record HtlcSpend(HtlcSpendKind Kind, uint256 TxId, OutPoint Spent, byte[]? Preimage, int? Height)
{
    /// <summary>
    /// Reads one input: a claim is (sig, preimage, 0x01, script), a refund is (sig, empty, script),
    /// and the script must be the contract's own. Anything else is not a spend of this HTLC.
    /// </summary>
    public static HtlcSpend? TryRead(HtlcContract contract, Transaction tx, int inputIndex, int? height)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(tx);
        var input = tx.Inputs[inputIndex];
        var items = input.WitScript.Pushes.ToArray();
        if (items.Length < 3 || !items[^1].AsSpan().SequenceEqual(contract.WitnessScript.ToBytes()))
            return null;
        if (items.Length == 4 && items[2] is [1])
        {
            var preimage = items[1];
            // Consensus already checked it for a confirmed claim; checked here too so a relayed
            // but invalid transaction can never hand the engine a wrong secret.
            if (preimage.Length != HtlcContract.PreimageLength || !contract.IsHashOf(preimage))
                return null;
            return new HtlcSpend(HtlcSpendKind.Claim, tx.GetHash(), input.PrevOut, preimage, height);
        }
        if (items.Length == 3 && items[1].Length == 0)
            return new HtlcSpend(HtlcSpendKind.Refund, tx.GetHash(), input.PrevOut, null, height);
        return null;
    }
}
