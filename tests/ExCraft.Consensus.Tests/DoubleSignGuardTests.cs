using ExCraft.Core.Crypto;

namespace ExCraft.Consensus.Tests;

public class DoubleSignGuardTests
{
    private static readonly byte[] A = Keccak256.Hash([1]);
    private static readonly byte[] B = Keccak256.Hash([2]);

    public static TheoryData<string> Kinds() => new() { "memory", "file" };

    private static IDoubleSignGuard Make(string kind, TempDirectory dir) =>
        kind == "memory" ? new InMemoryDoubleSignGuard() : FileDoubleSignGuard.CreateNew(dir.File("guard"));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Refuses_lower_and_conflicting_allows_identical(string kind)
    {
        using var dir = new TempDirectory();
        var guard = Make(kind, dir);
        Assert.True(guard.TryAuthorize(5, 0, ConsensusStep.Propose, A, out _));
        Assert.True(guard.TryAuthorize(5, 0, ConsensusStep.Prevote, A, out _));
        Assert.True(guard.TryAuthorize(5, 0, ConsensusStep.Prevote, A, out _)); // identical re-sign
        Assert.False(guard.TryAuthorize(5, 0, ConsensusStep.Prevote, B, out var reason));
        Assert.Contains("conflicting", reason);
        Assert.False(guard.TryAuthorize(5, 0, ConsensusStep.Prevote, null, out _)); // nil differs from a hash
        Assert.False(guard.TryAuthorize(5, 0, ConsensusStep.Propose, A, out reason)); // lower step
        Assert.Contains("behind the last signature", reason);
        Assert.True(guard.TryAuthorize(5, 0, ConsensusStep.Precommit, null, out _));
        Assert.False(guard.TryAuthorize(5, 0, ConsensusStep.Precommit, A, out _));
        Assert.True(guard.TryAuthorize(5, 0, ConsensusStep.Precommit, null, out _));
        Assert.True(guard.TryAuthorize(5, 3, ConsensusStep.Prevote, B, out _)); // rounds may be skipped
        Assert.False(guard.TryAuthorize(5, 2, ConsensusStep.Precommit, B, out _)); // lower round
        Assert.False(guard.TryAuthorize(4, 9, ConsensusStep.Precommit, B, out _)); // lower height
        Assert.True(guard.TryAuthorize(6, 0, ConsensusStep.Prevote, A, out _));
        Assert.False(guard.TryAuthorize(5, 3, ConsensusStep.Prevote, B, out _)); // the old identical message is no longer the last one
    }

    [Fact]
    public void File_guard_survives_reopen()
    {
        using var dir = new TempDirectory();
        var path = dir.File("guard");
        var guard = FileDoubleSignGuard.CreateNew(path);
        Assert.Null(guard.LastSigned);
        Assert.True(guard.TryAuthorize(10, 2, ConsensusStep.Precommit, A, out _));

        Assert.True(guard.TryAuthorize(10, 3, ConsensusStep.Prevote, null, out _));
        Assert.True(guard.TryAuthorize(10, 3, ConsensusStep.Precommit, null, out _));

        var reopened = FileDoubleSignGuard.Open(path, []);
        Assert.Equal(new SignedPosition(10, 3, ConsensusStep.Precommit, null).ToString(), reopened.LastSigned!.ToString());
        // The lock (last precommit for a block) survives later nil votes and the reopen.
        Assert.Equal(new SignedPosition(10, 2, ConsensusStep.Precommit, A).ToString(), reopened.LastBlockPrecommit!.ToString());
        Assert.False(reopened.TryAuthorize(10, 3, ConsensusStep.Precommit, B, out _));
        Assert.False(reopened.TryAuthorize(10, 3, ConsensusStep.Prevote, null, out _));
        Assert.True(reopened.TryAuthorize(10, 3, ConsensusStep.Precommit, null, out _));
        Assert.True(reopened.TryAuthorize(11, 0, ConsensusStep.Prevote, null, out _));
        Assert.Equal(11UL, FileDoubleSignGuard.Open(path, []).LastSigned!.Height);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Open_refuses_a_missing_file()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<DoubleSignRiskException>(() => FileDoubleSignGuard.Open(dir.File("guard"), []));
        Assert.Contains("missing", e.Message);
        Assert.Contains("another machine", e.Message);
        Assert.Contains("backup", e.Message);
        Assert.Contains("CreateNew", e.Message);
    }

    [Fact]
    public void Open_refuses_a_guard_behind_the_chain()
    {
        using var dir = new TempDirectory();
        var path = dir.File("guard");
        var guard = FileDoubleSignGuard.CreateNew(path);
        Assert.True(guard.TryAuthorize(20, 1, ConsensusStep.Precommit, A, out _));

        // At or behind the guard: fine.
        FileDoubleSignGuard.Open(path, [(18, 0, VoteType.Precommit), (20, 1, VoteType.Precommit), (20, 0, VoteType.Precommit)]);
        // The chain holds a newer signature by this key: someone else signed with it, or the file is an old backup.
        var e = Assert.Throws<DoubleSignRiskException>(() => FileDoubleSignGuard.Open(path, [(19, 0, VoteType.Precommit), (21, 0, VoteType.Precommit)]));
        Assert.Contains("height 21 round 0", e.Message);
        Assert.Contains("another machine", e.Message);
        Assert.Contains("backup", e.Message);
        Assert.Throws<DoubleSignRiskException>(() => FileDoubleSignGuard.Open(path, [(20, 2, VoteType.Prevote)]));

        // A fresh guard with signatures on chain: the key was used before.
        var fresh = dir.File("fresh");
        FileDoubleSignGuard.CreateNew(fresh);
        Assert.Contains("no signature at all", Assert.Throws<DoubleSignRiskException>(() => FileDoubleSignGuard.Open(fresh, [(1, 0, VoteType.Precommit)])).Message);
        Assert.Null(FileDoubleSignGuard.Open(fresh, []).LastSigned);
    }

    [Fact]
    public void CreateNew_refuses_an_existing_file_and_corruption_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("guard");
        var guard = FileDoubleSignGuard.CreateNew(path);
        Assert.True(guard.TryAuthorize(3, 0, ConsensusStep.Prevote, A, out _));
        Assert.Throws<IOException>(() => FileDoubleSignGuard.CreateNew(path));
        Assert.Equal(3UL, FileDoubleSignGuard.Open(path, []).LastSigned!.Height);

        var bytes = File.ReadAllBytes(path);
        bytes[5] ^= 0xff;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("unreadable", Assert.Throws<DoubleSignRiskException>(() => FileDoubleSignGuard.Open(path, [])).Message);
        File.WriteAllBytes(path, []);
        Assert.Throws<DoubleSignRiskException>(() => FileDoubleSignGuard.Open(path, []));
    }
}
