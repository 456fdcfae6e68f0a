using ExCraft.Chain.Staking;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Execution;

/// <summary>A block that fails verification; nothing of it is written.</summary>
public sealed class InvalidBlockException(string message) : Exception(message);

/// <summary>
/// Verifies and commits a block made elsewhere: header links, transactions root, app hash,
/// proposer and commit signatures from the validator set, then re-executes every transaction
/// (all must be includable) and commits. The basis of block sync and of checking determinism.
/// </summary>
public sealed class BlockImporter(Blockchain chain, BlockExecutor executor, ParallelSignatureRecovery recovery)
{
    public IReadOnlyList<Receipt> Import(Block block, Commit commit)
    {
        var head = chain.Head;
        var h = block.Header;
        if (h.ChainId != chain.ChainId) throw new InvalidBlockException($"block is for chain {h.ChainId}, this is {chain.ChainId}");
        if (h.Height != head.Height + 1) throw new InvalidBlockException($"block {h.Height} does not follow head {head.Height}");
        if (!h.PreviousHash.AsSpan().SequenceEqual(head.BlockHash)) throw new InvalidBlockException($"block {h.Height} previous hash {Hex.Encode(h.PreviousHash)} is not the head {Hex.Encode(head.BlockHash)}");
        if (!h.AppHash.AsSpan().SequenceEqual(head.AppHash)) throw new InvalidBlockException($"block {h.Height} app hash {Hex.Encode(h.AppHash)} differs from ours {Hex.Encode(head.AppHash)}");
        if (h.TimeMs <= head.TimeMs) throw new InvalidBlockException($"block {h.Height} time {h.TimeMs} is not after the previous block's {head.TimeMs}");
        if (!Block.ComputeTransactionsRoot(block.Transactions).AsSpan().SequenceEqual(h.TransactionsRoot)) throw new InvalidBlockException($"block {h.Height} transactions root does not match its transactions");
        var validators = StakingState.ReadActiveSet(chain.State);
        if (validators.ByConsensusAddress(h.Proposer) is null) throw new InvalidBlockException($"block {h.Height} proposer {h.Proposer} is not in the active validator set");
        VerifyCommit(block, commit, validators);

        var senders = recovery.RecoverAddresses(block.Transactions.Select(t => new SignedHash(t.SigningHash, t.Signature)).ToList());
        var withSenders = new List<(Core.Transactions.Transaction, Address)>(senders.Length);
        for (var i = 0; i < senders.Length; i++)
        {
            withSenders.Add((block.Transactions[i], senders[i] ?? throw new InvalidBlockException($"block {h.Height} transaction {i} has an invalid signature")));
        }
        BlockExecution execution;
        try
        {
            execution = executor.Execute(chain.State, new BlockContext(h.Height, h.TimeMs, h.Proposer, block.LastCommit), withSenders, skipRejected: false);
        }
        catch (TransactionRejectedException e)
        {
            throw new InvalidBlockException($"block {h.Height} carries a transaction that may not be included: {e.Message}");
        }
        chain.CommitBlock(block, commit, execution, AppHash.Next(head.AppHash, execution.Changes.Writes));
        return execution.Receipts;
    }

    /// <summary>More than 2/3 of the validator set's power must have signed this block.</summary>
    public void VerifyCommit(Block block, Commit commit, ActiveSet set)
    {
        if (commit.Height != block.Height || !commit.BlockHash.AsSpan().SequenceEqual(block.Hash))
            throw new InvalidBlockException($"commit is for block {commit.Height} {Hex.Encode(commit.BlockHash)}, not this block");
        var signBytes = Commit.SignBytes(chain.ChainId, commit.Height, commit.Round, commit.BlockHash);
        var validators = set.Validators.ToDictionary(v => v.ConsensusAddress, v => v.Power);
        UInt128 total = 0, signed = 0;
        foreach (var power in validators.Values) total += power;
        var seen = new HashSet<Address>();
        foreach (var s in commit.Signatures)
        {
            if (!validators.TryGetValue(s.Validator, out var power)) throw new InvalidBlockException($"commit signed by {s.Validator}, which is not a validator");
            if (!seen.Add(s.Validator)) throw new InvalidBlockException($"commit has two signatures from {s.Validator}");
            if (!Secp256k1Recovery.TryRecoverAddress(signBytes, s.Signature, out var signer, out var error) || signer != s.Validator)
                throw new InvalidBlockException($"commit signature of {s.Validator} is invalid {error}".TrimEnd());
            signed += power;
        }
        if (signed * 3 <= total * 2) throw new InvalidBlockException($"commit carries {signed} of {total} voting power, more than 2/3 is needed");
    }
}
