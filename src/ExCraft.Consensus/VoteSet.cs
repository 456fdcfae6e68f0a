using ExCraft.Core;
using ExCraft.Core.Consensus;

namespace ExCraft.Consensus;

/// <summary>The votes of one round and type: each validator's first vote, plus any conflicting votes kept,
/// with the power voting for each block hash (each validator at most once per hash).</summary>
internal sealed class VoteSet
{
    private readonly Dictionary<string, ulong> _powerByBlock = [];
    private readonly Dictionary<Address, List<Vote>> _votes = [];

    /// <summary>Power of the distinct validators that voted anything.</summary>
    public ulong TotalPower { get; private set; }

    public IEnumerable<Vote> All => _votes.Values.SelectMany(v => v);

    /// <summary>The validator's votes, first one first; null if none.</summary>
    public List<Vote>? VotesOf(Address validator) => _votes.GetValueOrDefault(validator);

    public void Add(Vote vote, ulong power)
    {
        if (!_votes.TryGetValue(vote.Validator, out var list))
        {
            list = [];
            _votes[vote.Validator] = list;
            TotalPower += power;
        }
        list.Add(vote);
        var key = BlockHashes.Key(vote.BlockHash);
        _powerByBlock[key] = _powerByBlock.GetValueOrDefault(key) + power;
    }

    public ulong PowerFor(byte[]? blockHash) => _powerByBlock.GetValueOrDefault(BlockHashes.Key(blockHash));

    /// <summary>The key of a block (never nil) with more than 2/3 of the power, if any.</summary>
    public string? QuorumBlock(ValidatorSet validators)
    {
        foreach (var (key, power) in _powerByBlock)
        {
            if (key.Length > 0 && validators.IsQuorum(power)) return key;
        }
        return null;
    }
}
