using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Consensus;

/// <summary>
/// Asked by the engine before it releases any signature. An implementation must persist its
/// decision durably before returning true, and must refuse any signature that conflicts with one
/// already released: a lower (height, round, step) than the last recorded, or the same position
/// with a different block hash. Re-authorizing the identical (height, round, step, hash) is allowed.
/// </summary>
public interface IDoubleSignGuard
{
    bool TryAuthorize(ulong height, int round, ConsensusStep step, byte[]? blockHash, out string reason);

    /// <summary>The last signature authorized, or null if none ever was.</summary>
    SignedPosition? LastSigned { get; }

    /// <summary>The last precommit for a block (not nil) authorized, or null. A validator's lock is its
    /// latest precommit for a block, so this restores the lock even if the consensus WAL is lost.</summary>
    SignedPosition? LastBlockPrecommit { get; }
}

/// <summary>The last signature a guard released: position and block hash (null = nil).</summary>
public sealed record SignedPosition(ulong Height, int Round, ConsensusStep Step, byte[]? BlockHash)
{
    public int CompareTo(ulong height, int round, ConsensusStep step)
    {
        var c = Height.CompareTo(height);
        if (c != 0) return c;
        c = Round.CompareTo(round);
        return c != 0 ? c : ((byte)Step).CompareTo((byte)step);
    }

    public override string ToString() =>
        $"height {Height} round {Round} {Step} {(BlockHash is null ? "nil" : Hex.Encode(BlockHash))}";
}

/// <summary>The validator must not sign: its key may be in use elsewhere or its guard state was lost or rolled back.</summary>
public sealed class DoubleSignRiskException(string message) : Exception(message);

/// <summary>The rule shared by the guards.</summary>
internal static class DoubleSignRule
{
    /// <summary>Null when (height, round, step, hash) may be signed after <paramref name="last"/>; otherwise why not.
    /// <paramref name="identical"/> is true for a re-sign of exactly the last message.</summary>
    public static string? Check(SignedPosition? last, ulong height, int round, ConsensusStep step, byte[]? blockHash, out bool identical)
    {
        identical = false;
        if (last is null) return null;
        var c = last.CompareTo(height, round, step);
        if (c > 0) return $"would sign height {height} round {round} {step}, behind the last signature ({last})";
        if (c == 0)
        {
            if (BlockHashes.Equal(last.BlockHash, blockHash))
            {
                identical = true;
                return null;
            }
            return $"would sign height {height} round {round} {step} for {(blockHash is null ? "nil" : Hex.Encode(blockHash))}, conflicting with the signature already released ({last})";
        }
        return null;
    }
}

/// <summary>A guard held in memory only: for observers, tests and simulations. Not crash-safe.</summary>
public sealed class InMemoryDoubleSignGuard : IDoubleSignGuard
{
    private readonly Lock _lock = new();

    public SignedPosition? LastSigned { get; private set; }

    public SignedPosition? LastBlockPrecommit { get; private set; }

    public bool TryAuthorize(ulong height, int round, ConsensusStep step, byte[]? blockHash, out string reason)
    {
        lock (_lock)
        {
            var refusal = DoubleSignRule.Check(LastSigned, height, round, step, blockHash, out var identical);
            reason = refusal ?? "";
            if (refusal is not null) return false;
            if (!identical)
            {
                LastSigned = new SignedPosition(height, round, step, blockHash?.ToArray());
                if (step == ConsensusStep.Precommit && blockHash is not null) LastBlockPrecommit = LastSigned;
            }
            return true;
        }
    }
}

/// <summary>
/// The crash-safe guard: a small file holding the last released signature's (height, round, step,
/// block hash) and the last precommit for a block (the validator's lock), replaced atomically (write
/// a temporary file, fsync it, rename it over the old one, fsync the directory) before every new
/// signature is released.
/// File format: payload || keccak256(payload), payload = rlp(["excraft-double-sign-guard", 1,
/// last, lock]) where last and lock are each [] (none) or [height, round, step, block_hash or ""].
/// </summary>
public sealed class FileDoubleSignGuard : IDoubleSignGuard
{
    private const string Magic = "excraft-double-sign-guard";
    private const int Version = 1;

    private readonly Lock _lock = new();

    private FileDoubleSignGuard(string path, SignedPosition? last, SignedPosition? lastBlockPrecommit)
    {
        Path = path;
        LastSigned = last;
        LastBlockPrecommit = lastBlockPrecommit;
    }

    public string Path { get; }

    /// <summary>The last signature released through this guard, or null for a brand-new validator.</summary>
    public SignedPosition? LastSigned { get; private set; }

    public SignedPosition? LastBlockPrecommit { get; private set; }

    /// <summary>Creates the guard of a brand-new validator key that has never signed. Refuses (IOException)
    /// if the file already exists: overwriting a guard would forget what was signed.</summary>
    public static FileDoubleSignGuard CreateNew(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path)) throw new IOException($"double-sign guard {path} already exists; refusing to overwrite it (it records what this validator has signed)");
        DurableFile.WriteAtomically(path, Serialize(null, null), overwrite: false);
        return new FileDoubleSignGuard(path, null, null);
    }

    /// <summary>
    /// Opens an existing guard. <paramref name="ownSignaturesInRecentBlocks"/> are this validator's
    /// signatures the node found in the last committed blocks (e.g. its precommits in their commits).
    /// Throws <see cref="DoubleSignRiskException"/> if the file is missing, unreadable, or records a
    /// position behind the newest of them: the key may be running elsewhere or this data directory was
    /// restored from a backup, and signing now could double-sign.
    /// </summary>
    public static FileDoubleSignGuard Open(string path, IReadOnlyList<(ulong Height, int Round, VoteType Type)> ownSignaturesInRecentBlocks)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(ownSignaturesInRecentBlocks);
        if (!File.Exists(path))
        {
            throw new DoubleSignRiskException(
                $"double-sign guard {path} is missing. If this validator key is brand new and has never signed, create the guard explicitly " +
                "(FileDoubleSignGuard.CreateNew). Otherwise the key may be running on another machine, or this data directory was replaced " +
                "or restored from a backup: refusing to sign, because signing without the guard could double-sign and get the validator slashed.");
        }
        SignedPosition? last, lastBlockPrecommit;
        try
        {
            (last, lastBlockPrecommit) = Deserialize(File.ReadAllBytes(path));
        }
        catch (FormatException e)
        {
            throw new DoubleSignRiskException($"double-sign guard {path} is unreadable ({e.Message}); refusing to sign. Find out what this key last signed before replacing the file.");
        }

        (ulong Height, int Round, VoteType Type)? newest = null;
        foreach (var s in ownSignaturesInRecentBlocks)
        {
            if (newest is null || Compare(s, newest.Value) > 0) newest = s;
        }
        if (newest is { } n && (last is null || last.CompareTo(n.Height, n.Round, StepOf(n.Type)) < 0))
        {
            throw new DoubleSignRiskException(
                $"double-sign guard {path} records {(last is null ? "no signature at all" : $"its last signature at {last}")}, but the chain holds a newer " +
                $"{n.Type} by this validator at height {n.Height} round {n.Round}. This key may be running on another machine, or the guard was " +
                "restored from a backup: refusing to sign. Stop every other instance of this validator before doing anything else.");
        }
        return new FileDoubleSignGuard(path, last, lastBlockPrecommit);
    }

    public bool TryAuthorize(ulong height, int round, ConsensusStep step, byte[]? blockHash, out string reason)
    {
        lock (_lock)
        {
            var refusal = DoubleSignRule.Check(LastSigned, height, round, step, blockHash, out var identical);
            reason = refusal ?? "";
            if (refusal is not null) return false;
            if (identical) return true;
            var next = new SignedPosition(height, round, step, blockHash?.ToArray());
            var nextLock = step == ConsensusStep.Precommit && blockHash is not null ? next : LastBlockPrecommit;
            // Persist first: if this throws, nothing is released.
            DurableFile.WriteAtomically(Path, Serialize(next, nextLock), overwrite: true);
            LastSigned = next;
            LastBlockPrecommit = nextLock;
            return true;
        }
    }

    internal static byte[] Serialize(SignedPosition? last, SignedPosition? lastBlockPrecommit)
    {
        var payload = Rlp.EncodeList(Rlp.EncodeString(Magic), Rlp.EncodeUInt(Version), EncodePosition(last), EncodePosition(lastBlockPrecommit));
        return [.. payload, .. Keccak256.Hash(payload)];
    }

    internal static (SignedPosition? Last, SignedPosition? LastBlockPrecommit) Deserialize(byte[] content)
    {
        if (content.Length <= 32) throw new FormatException($"file is {content.Length} bytes, too short");
        var payload = content.AsSpan(0, content.Length - 32);
        if (!Keccak256.Hash(payload).AsSpan().SequenceEqual(content.AsSpan(content.Length - 32))) throw new FormatException("checksum mismatch");
        var f = Rlp.Decode(payload).ListOf(4, "double-sign guard");
        if (f[0].AsUtf8() != Magic) throw new FormatException("not a double-sign guard file");
        if (f[1].AsUInt64() != Version) throw new FormatException($"unsupported version {f[1].AsUInt64()}");
        return (DecodePosition(f[2]), DecodePosition(f[3]));
    }

    private static byte[] EncodePosition(SignedPosition? p) => p is null
        ? Rlp.EncodeList()
        : Rlp.EncodeList(Rlp.EncodeUInt(p.Height), Rlp.EncodeUInt((ulong)p.Round), Rlp.EncodeUInt((ulong)p.Step), Rlp.EncodeBytes(p.BlockHash ?? []));

    private static SignedPosition? DecodePosition(RlpItem item)
    {
        if (item.Items.Count == 0) return null;
        var f = item.ListOf(4, "signed position");
        var step = f[2].AsUInt64();
        if (step > 2) throw new FormatException($"step {step} is not 0, 1 or 2");
        var hash = f[3].Bytes;
        if (hash.Length is not (0 or 32)) throw new FormatException($"block hash is {hash.Length} bytes");
        return new SignedPosition(f[0].AsUInt64(), f[1].AsInt32(), (ConsensusStep)step, hash.Length == 0 ? null : hash);
    }

    private static ConsensusStep StepOf(VoteType type) => type == VoteType.Prevote ? ConsensusStep.Prevote : ConsensusStep.Precommit;

    private static int Compare((ulong Height, int Round, VoteType Type) a, (ulong Height, int Round, VoteType Type) b)
    {
        var c = a.Height.CompareTo(b.Height);
        if (c != 0) return c;
        c = a.Round.CompareTo(b.Round);
        return c != 0 ? c : ((byte)a.Type).CompareTo((byte)b.Type);
    }
}
