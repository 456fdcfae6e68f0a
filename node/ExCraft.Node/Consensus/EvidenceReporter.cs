using ExCraft.Chain.Mempool;
using ExCraft.Chain.State;
using ExCraft.Core.Consensus;
using ExCraft.Core.Crypto;
using ExCraft.Core.Transactions;
using Microsoft.Extensions.Logging;

namespace ExCraft.Node.Consensus;

/// <summary>
/// Turns double-sign evidence the engine found into a submit_evidence transaction, paid from the
/// validator key's own account when it holds the fee; otherwise it is logged for anyone to submit
/// (excraft stake evidence).
/// </summary>
public sealed class EvidenceReporter(ulong chainId, PrivateKey? key, TransactionPool mempool, TransactionIngress ingress, IStateReader state, UInt128 fee, ILogger<EvidenceReporter> logger)
{
    private readonly HashSet<string> _reported = [];

    public void Report(DoubleSignEvidence evidence)
    {
        var encoded = Core.Encoding.Hex.Encode(evidence.Encode());
        if (!_reported.Add(encoded)) return;
        if (key is null || AccountState.ReadBalance(state, key.Address, AssetSymbol.Native) < fee)
        {
            logger.LogWarning("double-sign evidence (submit it with `excraft stake evidence`): {Evidence}", encoded);
            return;
        }
        var tx = Transaction.Create(chainId, mempool.NextNonce(key.Address), fee, new SubmitEvidencePayload(evidence), key);
        var result = ingress.Submit(tx.Encoded);
        if (result.Accepted) logger.LogWarning("submitted double-sign evidence against {Validator} in transaction {Hash}", evidence.A.Validator, Core.Encoding.Hex.Encode(tx.Hash));
        else logger.LogWarning("could not submit double-sign evidence: {Error}; evidence: {Evidence}", result.Error, encoded);
    }
}
