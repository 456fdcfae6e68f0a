using NBitcoin;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>
/// Replaces an unconfirmed claim or refund with the same spend at a higher fee (BIP125): the
/// original must signal replaceability, and the replacement must pay more in total and at
/// least the incremental relay fee for its own size on top of the original fee (rules 3 and 4).
/// The replacement keeps the original's destination and, for a claim, the same preimage.
/// </summary>
public static class HtlcFeeBumper
{
    /// <summary>bitcoind's default -incrementalrelayfee, 1 sat/vB.</summary>
    public static readonly FeeRate DefaultIncrementalRelayFee = new(Money.Satoshis(1000));

    public static Transaction BumpClaim(HtlcContract contract, Transaction original, Money htlcAmount, Key claimKey,
        byte[] preimage, FeeRate targetRate, Network network, FeeRate? incrementalRelayFee = null) =>
        Bump(original, contract, htlcAmount, targetRate, incrementalRelayFee, rate =>
            HtlcSpendBuilder.BuildClaim(contract, original.Inputs[0].PrevOut, htlcAmount, claimKey, preimage, original.Outputs[0].ScriptPubKey, rate, network));

    public static Transaction BumpRefund(HtlcContract contract, Transaction original, Money htlcAmount, Key refundKey,
        FeeRate targetRate, Network network, FeeRate? incrementalRelayFee = null) =>
        Bump(original, contract, htlcAmount, targetRate, incrementalRelayFee, rate =>
            HtlcSpendBuilder.BuildRefund(contract, original.Inputs[0].PrevOut, htlcAmount, refundKey, original.Outputs[0].ScriptPubKey, rate, network));

    /// <summary>The fee the original pays: the HTLC amount less its one output.</summary>
    public static Money FeeOf(Transaction spend, Money htlcAmount) => htlcAmount - spend.TotalOut;

    private static Transaction Bump(Transaction original, HtlcContract contract, Money htlcAmount, FeeRate targetRate,
        FeeRate? incrementalRelayFee, Func<FeeRate, Transaction> build)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(targetRate);
        if (original.Inputs.Count != 1 || original.Outputs.Count != 1 || HtlcSpend.TryRead(contract, original, 0, null) is null)
            throw new ArgumentException("the original is not a one-input, one-output spend of this HTLC", nameof(original));
        if (!original.RBF)
            throw new ArgumentException("the original does not signal BIP125 replaceability (sequence above 0xfffffffd), so nodes will not replace it", nameof(original));
        var incremental = incrementalRelayFee ?? DefaultIncrementalRelayFee;
        var originalFee = FeeOf(original, htlcAmount);
        var originalRate = new FeeRate(originalFee, original.GetVirtualSize());
        if (targetRate <= originalRate)
            throw new ArgumentException($"the target fee rate {targetRate} is not above the original's {originalRate}", nameof(targetRate));

        var replacement = build(targetRate);
        var required = originalFee + incremental.GetFee(replacement.GetVirtualSize());
        if (FeeOf(replacement, htlcAmount) < required)
        {
            // Raise the rate just enough to pay the original fee plus the relay increment (rule 4).
            var vsize = replacement.GetVirtualSize();
            replacement = build(new FeeRate(required + Money.Satoshis(vsize), vsize));
            required = originalFee + incremental.GetFee(replacement.GetVirtualSize());
            if (FeeOf(replacement, htlcAmount) < required)
                throw new InvalidOperationException($"could not reach the replacement fee {required} (BIP125 rule 4)");
        }
        return replacement;
    }

    /// <summary>
    /// A child paying for an unconfirmed funding (CPFP): it spends the funding's change output
    /// (<paramref name="changeIndex"/>, a P2WPKH of <paramref name="changeKey"/>) back to the same
    /// script, with the fee that lifts the parent and child together to <paramref name="packageRate"/>
    /// given the parent's own <paramref name="parentFee"/>. The funding itself, and so the HTLC
    /// outpoint, does not change. Null when the change cannot pay that fee and keep a non-dust output.
    /// </summary>
    public static Transaction? BuildCpfpChild(Transaction parent, int changeIndex, Key changeKey, Money parentFee, FeeRate packageRate, Network network)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(changeKey);
        var change = new Coin(parent, (uint)changeIndex);
        if (change.ScriptPubKey != changeKey.PubKey.WitHash.ScriptPubKey)
            throw new ArgumentException("the change output is not a P2WPKH of the given key", nameof(changeKey));
        Transaction Build(Money fee)
        {
            var builder = network.CreateTransactionBuilder();
            builder.OptInRBF = true;
            builder.AddCoins(change);
            builder.AddKeys(changeKey);
            builder.Send(change.ScriptPubKey, change.Amount - fee);
            builder.SendFees(fee);
            return builder.BuildTransaction(sign: true);
        }
        var draft = Build(Money.Satoshis(1000)); // the size does not depend on the fee
        var fee = packageRate.GetFee(parent.GetVirtualSize() + draft.GetVirtualSize()) - parentFee;
        var minimum = new FeeRate(Money.Satoshis(1000)).GetFee(draft.GetVirtualSize()); // the child must relay on its own too
        if (fee < minimum) fee = minimum;
        if (change.Amount - fee < Money.Satoshis(1000)) return null;
        return Build(fee);
    }
}
