using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;

namespace ExCraft.Consensus.Tests;

internal static class TestKeys
{
    private static readonly PrivateKey[] Cache = Enumerable.Range(0, 16)
        .Select(i => new PrivateKey(Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes($"excraft consensus test key {i}"))))
        .ToArray();

    public static PrivateKey Key(int i) => Cache[i];

    public static PrivateKey[] Keys(int n) => Cache[..n];
}

internal static class TestChain
{
    public const ulong ChainId = 4242;

    public static readonly byte[] GenesisHash = new byte[32];

    public static Block MakeBlock(ulong height, byte[] previousHash, ulong timeMs, Address proposer, ulong salt = 0) =>
        new(new BlockHeader(ChainId, height, timeMs, previousHash, Commit.Empty.Hash(), new byte[32],
            Keccak256.Hash(BitConverter.GetBytes(salt)), proposer), [], Commit.Empty);

    public static ValidatorSet EqualSet(PrivateKey[] keys, ulong power = 10) => new(keys.Select(k => (k.Address, power)));

    /// <summary>The chain's commit check (as in BlockImporter): every signature recovers to its validator
    /// over Commit.SignBytes, no duplicates, more than 2/3 of the power; returns the error or null.</summary>
    public static string? CheckCommit(ulong chainId, ValidatorSet validators, Block block, Commit commit)
    {
        if (commit.Height != block.Height || !commit.BlockHash.AsSpan().SequenceEqual(block.Hash)) return "commit is for another block";
        var signBytes = Commit.SignBytes(chainId, commit.Height, commit.Round, commit.BlockHash);
        var seen = new HashSet<Address>();
        ulong signed = 0;
        foreach (var s in commit.Signatures)
        {
            if (!validators.TryGetPower(s.Validator, out var power)) return $"{s.Validator} is not a validator";
            if (!seen.Add(s.Validator)) return $"{s.Validator} signed twice";
            if (!Secp256k1Recovery.TryRecoverAddress(signBytes, s.Signature, out var signer, out var error) || signer != s.Validator)
                return $"signature of {s.Validator} is invalid {error}";
            signed += power;
        }
        return validators.IsQuorum(signed) ? null : $"only {signed} of {validators.TotalPower} power signed";
    }
}

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "excraft-consensus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
