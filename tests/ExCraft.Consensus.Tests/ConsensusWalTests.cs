using ExCraft.Core.Crypto;

namespace ExCraft.Consensus.Tests;

public class ConsensusWalTests
{
    private static readonly PrivateKey Key = TestKeys.Key(0);

    private static List<WalRecord> SampleRecords(ulong height)
    {
        var block = TestChain.MakeBlock(height, TestChain.GenesisHash, 99, Key.Address);
        var proposal = Proposal.Create(TestChain.ChainId, height, 1, 0, block, Key);
        return
        [
            new WalInputProposal(proposal),
            new WalInputVote(Vote.Create(TestChain.ChainId, VoteType.Prevote, height, 1, block.Hash, TestKeys.Key(1))),
            new WalInputTimeout(new Timeout(height, 1, ConsensusStep.Prevote)),
            new WalOwnProposal(proposal),
            new WalOwnVote(Vote.Create(TestChain.ChainId, VoteType.Precommit, height, 1, null, Key)),
        ];
    }

    private static void AssertSame(IReadOnlyList<WalRecord> expected, IReadOnlyList<WalRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++) Assert.Equal(ConsensusWal.Frame(expected[i]), ConsensusWal.Frame(actual[i]));
    }

    [Fact]
    public void Round_trip_and_reset()
    {
        using var dir = new TempDirectory();
        var path = dir.File("wal");
        var records = SampleRecords(7);
        using (var wal = ConsensusWal.Open(path))
        {
            Assert.Null(wal.Height);
            Assert.Throws<InvalidOperationException>(() => wal.Append(records[0]));
            wal.Reset(7);
            foreach (var r in records) wal.Append(r);
            Assert.Throws<ArgumentException>(() => wal.Append(new WalHeight(8)));
        }
        using (var wal = ConsensusWal.Open(path))
        {
            Assert.Equal(7UL, wal.Height);
            Assert.Equal(0, wal.TruncatedBytes);
            AssertSame(records, wal.Records);
            Assert.Equal(records[1], wal.Records[1]);
            wal.Reset(8);
            wal.Append(records[2]);
        }
        using (var wal = ConsensusWal.Open(path))
        {
            Assert.Equal(8UL, wal.Height);
            AssertSame([records[2]], wal.Records);
        }
    }

    [Fact]
    public void Torn_tail_is_truncated_at_every_cut_point()
    {
        using var dir = new TempDirectory();
        var path = dir.File("wal");
        var records = SampleRecords(3);
        using (var wal = ConsensusWal.Open(path))
        {
            wal.Reset(3);
            foreach (var r in records) wal.Append(r);
        }
        var full = File.ReadAllBytes(path);
        var lastLength = ConsensusWal.Frame(records[^1]).Length;
        for (var cut = 1; cut < lastLength; cut += 7)
        {
            File.WriteAllBytes(path, full[..^cut]);
            using (var wal = ConsensusWal.Open(path))
            {
                Assert.Equal(lastLength - cut, wal.TruncatedBytes);
                AssertSame(records[..^1], wal.Records);
                wal.Append(records[^1]); // appends cleanly after the cut
            }
            using (var wal = ConsensusWal.Open(path))
            {
                Assert.Equal(0, wal.TruncatedBytes);
                AssertSame(records, wal.Records);
            }
        }
    }

    [Fact]
    public void Zero_filled_or_garbled_last_record_is_truncated()
    {
        using var dir = new TempDirectory();
        var path = dir.File("wal");
        var records = SampleRecords(3);
        using (var wal = ConsensusWal.Open(path))
        {
            wal.Reset(3);
            foreach (var r in records) wal.Append(r);
        }
        var full = File.ReadAllBytes(path);
        File.WriteAllBytes(path, [.. full, .. new byte[100]]);
        using (var wal = ConsensusWal.Open(path))
        {
            Assert.Equal(100, wal.TruncatedBytes);
            AssertSame(records, wal.Records);
        }
        var garbled = (byte[])full.Clone();
        garbled[^3] ^= 0x55; // last record's payload: fails its checksum, nothing follows it
        File.WriteAllBytes(path, garbled);
        using (var wal = ConsensusWal.Open(path))
        {
            Assert.Equal(ConsensusWal.Frame(records[^1]).Length, wal.TruncatedBytes);
            AssertSame(records[..^1], wal.Records);
        }
    }

    [Fact]
    public void Corrupted_checksum_in_the_middle_is_detected()
    {
        using var dir = new TempDirectory();
        var path = dir.File("wal");
        var records = SampleRecords(3);
        using (var wal = ConsensusWal.Open(path))
        {
            wal.Reset(3);
            foreach (var r in records) wal.Append(r);
        }
        var full = File.ReadAllBytes(path);
        var offsetOfSecond = ConsensusWal.Frame(new WalHeight(3)).Length + ConsensusWal.Frame(records[0]).Length;
        var corrupt = (byte[])full.Clone();
        corrupt[offsetOfSecond + 20] ^= 0x01;
        File.WriteAllBytes(path, corrupt);
        var e = Assert.Throws<ConsensusWalCorruptedException>(() => ConsensusWal.Open(path));
        Assert.Contains($"record at byte {offsetOfSecond} fails its checksum", e.Message);
        // The checksum field itself damaged.
        corrupt = (byte[])full.Clone();
        corrupt[offsetOfSecond + 5] ^= 0x80;
        File.WriteAllBytes(path, corrupt);
        Assert.Throws<ConsensusWalCorruptedException>(() => ConsensusWal.Open(path));
        // The file is left as it was for the operator to inspect.
        Assert.Equal(corrupt, File.ReadAllBytes(path));
    }
}
