using ExCraft.Chain.Execution;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Mempool;

/// <summary>The outcome of submitting one raw transaction: its hash, or why it was refused.</summary>
public sealed record SubmitResult(byte[]? Hash, RejectReason? Reason, string Error)
{
    public bool Accepted => Reason is null;
}

/// <summary>
/// The way in for raw transactions (RPC now, P2P gossip later): decode, recover all signatures of
/// a batch in parallel across cores, then admit to the mempool one by one.
/// </summary>
public sealed class TransactionIngress(TransactionPool mempool, ParallelSignatureRecovery recovery)
{
    public SubmitResult Submit(byte[] raw) => SubmitBatch([raw])[0];

    public IReadOnlyList<SubmitResult> SubmitBatch(IReadOnlyList<byte[]> raws)
    {
        var results = new SubmitResult?[raws.Count];
        var decoded = new List<(int Index, Transaction Tx)>(raws.Count);
        for (var i = 0; i < raws.Count; i++)
        {
            // Over the size limit is its own reason (not "malformed"), and is known before any hashing.
            if (raws[i].Length > Transaction.MaxEncodedLength)
            {
                results[i] = new SubmitResult(null, RejectReason.TooLarge, $"transaction is {raws[i].Length} bytes, more than the limit of {Transaction.MaxEncodedLength}");
                continue;
            }
            // Gossip brings the same transaction from several peers. Its hash is the hash of its raw
            // bytes, so repeats are refused before any decoding or signature check.
            var hash = Keccak256.Hash(raws[i]);
            if (mempool.Contains(hash))
            {
                results[i] = new SubmitResult(null, RejectReason.Duplicate, $"transaction {Core.Encoding.Hex.Encode(hash)} is already pending");
                continue;
            }
            try
            {
                decoded.Add((i, Transaction.Decode(raws[i], hash)));
            }
            catch (FormatException e)
            {
                results[i] = new SubmitResult(null, RejectReason.Malformed, $"malformed transaction: {e.Message}");
            }
        }
        var senders = recovery.RecoverAddresses(decoded.Select(d => new SignedHash(d.Tx.SigningHash, d.Tx.Signature)).ToList());
        for (var k = 0; k < decoded.Count; k++)
        {
            var (index, tx) = decoded[k];
            if (senders[k] is not Address sender)
            {
                results[index] = new SubmitResult(null, RejectReason.BadSignature, tx.Signature.IsLowS
                    ? "invalid signature: no public key can be recovered"
                    : "invalid signature: s is in the upper half of the curve order (high-S); use the low-S form");
                continue;
            }
            try
            {
                mempool.Add(tx, sender);
                results[index] = new SubmitResult(tx.Hash, null, "");
            }
            catch (TransactionRejectedException e)
            {
                results[index] = new SubmitResult(null, e.Reason, e.Message);
            }
        }
        return results!;
    }
}
