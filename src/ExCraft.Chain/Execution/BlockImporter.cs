using ExCraft.Chain.Modules.Staking;
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
public sealed class BlockImporter(Blockchain chain, BlockExecutor executor, ParallelSignatureRecovery recovery, Func<byte[], Address?>? knownSender = null)
{
    public IReadOnlyList<Receipt> Import(Block block, Commit commit) => CommitVerified(block, commit, Verify(block));

    /// <summary>
    /// Checks a block against the head (links, root, app hash, proposer, the previous block's
    /// commit) and executes it without writing anything; a proposal is judged this way before
    /// a validator votes for it. latestTimeMs bounds how far ahead of the local clock its time may be.
    /// </summary>
    public BlockExecution Verify(Block block, ulong? latestTimeMs = null)
    {
        var head = chain.Head;
        var h = block.Header;
        if (h.ChainId != chain.ChainId) throw new InvalidBlockException($"block is for chain {h.ChainId}, this is {chain.ChainId}");
        if (h.Height != head.Height + 1) throw new InvalidBlockException($"block {h.Height} does not follow head {head.Height}");
        if (!h.PreviousHash.AsSpan().SequenceEqual(head.BlockHash)) throw new InvalidBlockException($"block {h.Height} previous hash {Hex.Encode(h.PreviousHash)} is not the head {Hex.Encode(head.BlockHash)}");
        if (!h.AppHash.AsSpan().SequenceEqual(head.AppHash)) throw new InvalidBlockException($"block {h.Height} app hash {Hex.Encode(h.AppHash)} differs from ours {Hex.Encode(head.AppHash)}");
        if (h.TimeMs <= head.TimeMs) throw new InvalidBlockException($"block {h.Height} time {h.TimeMs} is not after the previous block's {head.TimeMs}");
        if (h.TimeMs > latestTimeMs) throw new InvalidBlockException($"block {h.Height} time {h.TimeMs} is ahead of our clock ({latestTimeMs})");
        if (!Block.ComputeTransactionsRoot(block.Transactions).AsSpan().SequenceEqual(h.TransactionsRoot)) throw new InvalidBlockException($"block {h.Height} transactions root does not match its transactions");
        if (!block.LastCommit.Hash().AsSpan().SequenceEqual(h.LastCommitHash)) throw new InvalidBlockException($"block {h.Height} last commit does not match the header's last commit hash");
        if (StakingState.ReadActiveSet(chain.State).ByConsensusAddress(h.Proposer) is null) throw new InvalidBlockException($"block {h.Height} proposer {h.Proposer} is not in the active validator set");
        if (h.Height > 1)
        {
            if (block.LastCommit.Height != head.Height || !block.LastCommit.BlockHash.AsSpan().SequenceEqual(head.BlockHash))
                throw new InvalidBlockException($"block {h.Height} carries a commit for another block than the head");
            VerifySignatures(block.LastCommit, StakingState.ReadSetForLastCommit(chain.State, h.Height));
        }

        var senders = RecoverSenders(block.Transactions);
        var withSenders = new List<(Core.Transactions.Transaction, Address)>(senders.Length);
        for (var i = 0; i < senders.Length; i++)
        {
            withSenders.Add((block.Transactions[i], senders[i] ?? throw new InvalidBlockException($"block {h.Height} transaction {i} has an invalid signature")));
        }
        try
        {
            return executor.Execute(chain.State, new BlockContext(h.Height, h.TimeMs, h.Proposer, block.LastCommit), withSenders, skipRejected: false);
        }
        catch (TransactionRejectedException e)
        {
            throw new InvalidBlockException($"block {h.Height} carries a transaction that may not be included: {e.Message}");
        }
    }

    /// <summary>
    /// Senders of a block's transactions. Those this node already checked (its mempool holds them,
    /// keyed by the hash of the signed bytes) are not recovered again; the rest in parallel.
    /// </summary>
    private Address?[] RecoverSenders(IReadOnlyList<Core.Transactions.Transaction> transactions)
    {
        var senders = new Address?[transactions.Count];
        var unknown = new List<int>();
        for (var i = 0; i < transactions.Count; i++)
        {
            senders[i] = knownSender?.Invoke(transactions[i].Hash);
            if (senders[i] is null) unknown.Add(i);
        }
        var recovered = recovery.RecoverAddresses(unknown.Select(i => new SignedHash(transactions[i].SigningHash, transactions[i].Signature)).ToList());
        for (var k = 0; k < unknown.Count; k++) senders[unknown[k]] = recovered[k];
        return senders;
    }

    /// <summary>Commits a verified block once more than 2/3 of the set has signed it.</summary>
    public IReadOnlyList<Receipt> CommitVerified(Block block, Commit commit, BlockExecution execution)
    {
        if (chain.Head.Height + 1 != block.Height) throw new InvalidBlockException($"block {block.Height} does not follow head {chain.Head.Height}");
        VerifyCommit(block, commit, StakingState.ReadActiveSet(chain.State));
        chain.CommitBlock(block, commit, execution, AppHash.Next(chain.Head.AppHash, execution.Changes.Writes));
        return execution.Receipts;
    }

    /// <summary>More than 2/3 of the validator set's power must have signed this block.</summary>
    public void VerifyCommit(Block block, Commit commit, ActiveSet set)
    {
        if (commit.Height != block.Height || !commit.BlockHash.AsSpan().SequenceEqual(block.Hash))
            throw new InvalidBlockException($"commit is for block {commit.Height} {Hex.Encode(commit.BlockHash)}, not this block");
        VerifySignatures(commit, set);
    }

    private void VerifySignatures(Commit commit, ActiveSet set)
    {
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
