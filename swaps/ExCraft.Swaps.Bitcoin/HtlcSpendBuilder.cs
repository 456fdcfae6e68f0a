using NBitcoin;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>
/// Builds and signs the two ways out of an HTLC output, each a one-input, one-output segwit
/// transaction (version 2):
/// <list type="bullet">
/// <item>claim: witness <c>&lt;sig&gt; &lt;preimage&gt; 0x01 &lt;witness script&gt;</c>, lock time 0;</item>
/// <item>refund: witness <c>&lt;sig&gt; &lt;empty&gt; &lt;witness script&gt;</c>, lock time = the
/// timeout height, which OP_CHECKLOCKTIMEVERIFY compares against.</item>
/// </list>
/// Both use sequence 0xfffffffd: not final (so the lock time is enforced) and BIP125
/// replaceable (so <see cref="HtlcFeeBumper"/> can bump a stuck one).
/// The fee is the fee rate times the signed transaction's virtual size.
/// </summary>
public static class HtlcSpendBuilder
{
    /// <summary>Opts into BIP125 replacement; below 0xffffffff so nLockTime is enforced.</summary>
    public static readonly Sequence ReplaceableSequence = new(0xfffffffdu);

    public static Transaction BuildClaim(HtlcContract contract, OutPoint htlcOutpoint, Money htlcAmount, Key claimKey,
        byte[] preimage, Script destination, FeeRate feeRate, Network network)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(claimKey);
        ArgumentNullException.ThrowIfNull(preimage);
        if (preimage.Length != HtlcContract.PreimageLength)
            throw new ArgumentException($"the preimage must be exactly {HtlcContract.PreimageLength} bytes, got {preimage.Length}", nameof(preimage));
        if (!contract.IsHashOf(preimage))
            throw new ArgumentException("the preimage does not hash (SHA-256) to the contract's payment hash", nameof(preimage));
        if (claimKey.PubKey != contract.ClaimPubKey)
            throw new ArgumentException("the key is not the contract's claim key", nameof(claimKey));
        return BuildClaimUnchecked(contract, htlcOutpoint, htlcAmount, claimKey, preimage, destination, feeRate, network);
    }

    public static Transaction BuildRefund(HtlcContract contract, OutPoint htlcOutpoint, Money htlcAmount, Key refundKey,
        Script destination, FeeRate feeRate, Network network)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(refundKey);
        if (refundKey.PubKey != contract.RefundPubKey)
            throw new ArgumentException("the key is not the contract's refund key", nameof(refundKey));
        return BuildRefundUnchecked(contract, htlcOutpoint, htlcAmount, refundKey, destination, feeRate, network, (uint)contract.TimeoutHeight);
    }

    /// <summary>No checks on the preimage: lets tests hand the node claims its script must refuse.</summary>
    internal static Transaction BuildClaimUnchecked(HtlcContract contract, OutPoint htlcOutpoint, Money htlcAmount, Key claimKey,
        byte[] preimage, Script destination, FeeRate feeRate, Network network) =>
        Build(contract, htlcOutpoint, htlcAmount, claimKey, destination, feeRate, network, lockTime: 0,
            sig => new WitScript([sig.ToBytes(), preimage, [1], contract.WitnessScript.ToBytes()], true));

    /// <summary>Any lock time: lets tests hand the node a refund whose lock time is below the timeout.</summary>
    internal static Transaction BuildRefundUnchecked(HtlcContract contract, OutPoint htlcOutpoint, Money htlcAmount, Key refundKey,
        Script destination, FeeRate feeRate, Network network, uint lockTime) =>
        Build(contract, htlcOutpoint, htlcAmount, refundKey, destination, feeRate, network, lockTime,
            // An empty item selects OP_ELSE; MINIMALIF policy accepts only empty for false.
            sig => new WitScript([sig.ToBytes(), [], contract.WitnessScript.ToBytes()], true));

    private const int MaxPricingRounds = 16;

    private static Transaction Build(HtlcContract contract, OutPoint htlcOutpoint, Money htlcAmount, Key key, Script destination,
        FeeRate feeRate, Network network, uint lockTime, Func<TransactionSignature, WitScript> witness)
    {
        ArgumentNullException.ThrowIfNull(htlcOutpoint);
        ArgumentNullException.ThrowIfNull(htlcAmount);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(feeRate);
        ArgumentNullException.ThrowIfNull(network);
        if (htlcAmount <= Money.Zero)
            throw new ArgumentOutOfRangeException(nameof(htlcAmount), htlcAmount, "the HTLC amount must be positive");

        var tx = network.CreateTransaction();
        tx.Version = 2;
        tx.LockTime = new LockTime(lockTime);
        tx.Inputs.Add(new TxIn(htlcOutpoint) { Sequence = ReplaceableSequence });
        tx.Outputs.Add(new TxOut(htlcAmount, destination));

        // Sign once to learn the virtual size, then again with the fee taken off the output. The new
        // signature can be a byte longer or shorter, which now and then moves the virtual size by a
        // whole vbyte: price it again until fee = rate x vsize holds (a few rounds at most).
        SignInput(tx, contract, htlcAmount, key, witness);
        for (var round = 0; ; round++)
        {
            var fee = feeRate.GetFee(tx.GetVirtualSize());
            var output = htlcAmount - fee;
            var dust = tx.Outputs[0].GetDustThreshold();
            if (output < dust)
                throw new InvalidOperationException($"the HTLC amount {htlcAmount} does not cover the fee {fee} at {feeRate} and leave more than the dust limit {dust}");
            tx.Outputs[0].Value = output;
            SignInput(tx, contract, htlcAmount, key, witness);
            if (feeRate.GetFee(tx.GetVirtualSize()) == fee || round == MaxPricingRounds) return tx;
        }
    }

    private static void SignInput(Transaction tx, HtlcContract contract, Money htlcAmount, Key key, Func<TransactionSignature, WitScript> witness)
    {
        var signature = WitnessV0Signer.Sign(key, tx, 0, contract.WitnessScript, htlcAmount);
        tx.Inputs[0].WitScript = witness(signature);
    }
}
