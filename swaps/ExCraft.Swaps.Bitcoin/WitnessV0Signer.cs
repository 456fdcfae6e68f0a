using NBitcoin;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>
/// BIP143 (segwit v0) signing of one input: the digest commits to the spent amount and the
/// script code. Checked against the BIP143 published vectors in the tests.
/// </summary>
public static class WitnessV0Signer
{
    public static uint256 SignatureHash(Transaction tx, int inputIndex, Script scriptCode, Money spentAmount, SigHash sigHash = SigHash.All)
    {
        ArgumentNullException.ThrowIfNull(tx);
        if (inputIndex < 0 || inputIndex >= tx.Inputs.Count)
            throw new ArgumentOutOfRangeException(nameof(inputIndex), inputIndex, $"the transaction has {tx.Inputs.Count} inputs");
        var spentOutput = new TxOut(spentAmount, scriptCode);
        return tx.GetSignatureHash(scriptCode, inputIndex, sigHash, spentOutput, HashVersion.WitnessV0);
    }

    /// <summary>Signs with RFC 6979 nonces and low R, so one key and digest give one signature.</summary>
    public static TransactionSignature Sign(Key key, Transaction tx, int inputIndex, Script scriptCode, Money spentAmount, SigHash sigHash = SigHash.All)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = SignatureHash(tx, inputIndex, scriptCode, spentAmount, sigHash);
        return new TransactionSignature(key.Sign(hash, useLowR: true), sigHash);
    }
}
