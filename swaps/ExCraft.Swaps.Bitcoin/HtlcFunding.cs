using NBitcoin;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>
/// Builds and signs the transaction that locks coins in an HTLC, with NBitcoin's transaction
/// builder (coin selection, change, BIP143 signing of segwit inputs, fee estimate).
/// </summary>
public static class HtlcFunding
{
    public sealed record Funded(Transaction Transaction, OutPoint HtlcOutpoint, Money Fee);

    public static Funded Build(Network network, HtlcContract contract, Money amount, IEnumerable<ICoin> coins,
        IEnumerable<Key> keys, Script changeDestination, FeeRate feeRate)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(amount);
        ArgumentNullException.ThrowIfNull(changeDestination);
        ArgumentNullException.ThrowIfNull(feeRate);
        if (amount <= Money.Zero)
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "the amount locked must be positive");

        var builder = network.CreateTransactionBuilder();
        builder.OptInRBF = true;
        var spent = coins.ToArray();
        builder.AddCoins(spent);
        builder.AddKeys(keys.ToArray());
        builder.Send(contract.ScriptPubKey, amount);
        builder.SetChange(changeDestination);
        builder.SendEstimatedFees(feeRate);
        var tx = builder.BuildTransaction(sign: true);
        if (!builder.Verify(tx, out var errors))
            throw new InvalidOperationException("the funding transaction does not verify: " + string.Join("; ", errors.Select(e => e.ToString())));
        var index = tx.Outputs.FindIndex(o => o.ScriptPubKey == contract.ScriptPubKey);
        return new Funded(tx, new OutPoint(tx, index), tx.GetFee(spent));
    }

    /// <summary>The outputs of a transaction that fund the HTLC (pay its P2WSH script), in output order.</summary>
    public static IReadOnlyList<(OutPoint Outpoint, Money Amount)> FindHtlcOutputs(Transaction tx, HtlcContract contract)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(contract);
        var scriptPubKey = contract.ScriptPubKey;
        var found = new List<(OutPoint, Money)>();
        for (var i = 0; i < tx.Outputs.Count; i++)
        {
            if (tx.Outputs[i].ScriptPubKey == scriptPubKey)
                found.Add((new OutPoint(tx, i), tx.Outputs[i].Value));
        }
        return found;
    }
}
