using System.Buffers.Binary;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Consensus;

/// <summary>One entry of the consensus write-ahead log.</summary>
public abstract record WalRecord;

/// <summary>First record of the log: the height the following records belong to.</summary>
public sealed record WalHeight(ulong Height) : WalRecord;

/// <summary>A proposal the engine accepted as input (before acting on it).</summary>
public sealed record WalInputProposal(Proposal Proposal) : WalRecord;

/// <summary>A vote the engine accepted as input (before acting on it).</summary>
public sealed record WalInputVote(Vote Vote) : WalRecord;

/// <summary>A timeout that changed the engine's state.</summary>
public sealed record WalInputTimeout(Timeout Timeout) : WalRecord;

/// <summary>A proposal this validator signed (written before it is released).</summary>
public sealed record WalOwnProposal(Proposal Proposal) : WalRecord;

/// <summary>A vote this validator signed (written before it is released).</summary>
public sealed record WalOwnVote(Vote Vote) : WalRecord;

/// <summary>The log is damaged somewhere other than its last record, so it cannot be trusted.</summary>
public sealed class ConsensusWalCorruptedException(string message) : Exception(message);

/// <summary>
/// Append-only write-ahead log of the consensus engine's inputs and own signed messages for the
/// current height. Record framing: [payload length, u32 big-endian][first 4 bytes of
/// keccak256(payload)][payload], payload = rlp([kind, ...]); kinds: 1 height, 2 input proposal,
/// 3 input vote, 4 input timeout [height, round, step], 5 own proposal, 6 own vote.
/// Every append is flushed and (by default) fsynced before it returns.
/// <para>
/// On open, an incomplete or checksum-failing last record, or a tail of zero bytes, is the trace of
/// a crash mid-write: it is cut off (<see cref="TruncatedBytes"/>) and the log opens normally. A bad
/// record followed by more data is corruption: <see cref="ConsensusWalCorruptedException"/>.
/// <see cref="Reset"/> starts a new height by atomically replacing the file.
/// </para>
/// </summary>
public sealed class ConsensusWal : IDisposable
{
    public const int MaxRecordBytes = Proposal.MaxEncodedLength + 1024;
    private const int HeaderBytes = 8;

    private readonly bool _syncEveryRecord;
    private readonly List<WalRecord> _records = [];
    private FileStream? _stream;
    private bool _failed;

    private ConsensusWal(string path, bool syncEveryRecord)
    {
        Path = path;
        _syncEveryRecord = syncEveryRecord;
    }

    public string Path { get; }

    /// <summary>The height the log holds records for; null for an empty log.</summary>
    public ulong? Height { get; private set; }

    /// <summary>The records after the height record, in the order they were appended.</summary>
    public IReadOnlyList<WalRecord> Records => _records;

    /// <summary>Bytes of a torn tail removed when the log was opened.</summary>
    public long TruncatedBytes { get; private set; }

    /// <summary>Opens (creating if missing) the log, reads it and cuts off a torn last record.</summary>
    public static ConsensusWal Open(string path, bool syncEveryRecord = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var wal = new ConsensusWal(System.IO.Path.GetFullPath(path), syncEveryRecord);
        var existed = File.Exists(wal.Path);
        var content = existed ? File.ReadAllBytes(wal.Path) : [];
        var valid = wal.Parse(content);
        wal._stream = new FileStream(wal.Path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        if (valid < content.Length)
        {
            wal._stream.SetLength(valid);
            wal._stream.Flush(flushToDisk: true);
            wal.TruncatedBytes = content.Length - valid;
        }
        wal._stream.Seek(valid, SeekOrigin.Begin);
        if (!existed) DurableFile.SyncDirectory(System.IO.Path.GetDirectoryName(wal.Path)!);
        return wal;
    }

    /// <summary>Appends one record (not <see cref="WalHeight"/>; use <see cref="Reset"/>).</summary>
    public void Append(WalRecord record, bool? sync = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record is WalHeight) throw new ArgumentException("start a height with Reset, not Append");
        if (Height is null) throw new InvalidOperationException("the log has no height yet; call Reset(height) first");
        WriteRecord(record, sync ?? _syncEveryRecord);
        _records.Add(record);
    }

    /// <summary>Atomically replaces the log with an empty log for <paramref name="height"/>.</summary>
    public void Reset(ulong height)
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        _stream.Dispose();
        _stream = null;
        DurableFile.WriteAtomically(Path, Frame(new WalHeight(height)), overwrite: true);
        _stream = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.Read);
        _stream.Seek(0, SeekOrigin.End);
        _failed = false;
        Height = height;
        _records.Clear();
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }

    private void WriteRecord(WalRecord record, bool sync)
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        if (_failed) throw new IOException($"an earlier write to the consensus WAL {Path} failed; reopen it");
        var framed = Frame(record);
        try
        {
            _stream.Write(framed);
            _stream.Flush(flushToDisk: sync);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>Length, checksum and payload of one record.</summary>
    public static byte[] Frame(WalRecord record)
    {
        var payload = EncodePayload(record);
        var framed = new byte[HeaderBytes + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)payload.Length);
        Keccak256.Hash(payload).AsSpan(0, 4).CopyTo(framed.AsSpan(4));
        payload.CopyTo(framed, HeaderBytes);
        return framed;
    }

    /// <summary>Reads records into this instance; returns the length of the valid prefix.</summary>
    private long Parse(byte[] content)
    {
        var offset = 0;
        while (offset < content.Length)
        {
            if (IsZeroTail(content, offset)) return offset;
            var remaining = content.Length - offset;
            if (remaining < HeaderBytes) return offset;
            var length = BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(offset));
            if (length > (uint)(remaining - HeaderBytes)) return offset; // runs past the end: torn
            var end = offset + HeaderBytes + (int)length;
            var payload = content.AsSpan(offset + HeaderBytes, (int)length);
            var isLast = end == content.Length;
            if (length == 0 || length > MaxRecordBytes || !Keccak256.Hash(payload).AsSpan(0, 4).SequenceEqual(content.AsSpan(offset + 4, 4)))
            {
                if (isLast) return offset;
                throw new ConsensusWalCorruptedException(
                    $"consensus WAL {Path}: record at byte {offset} fails its checksum and is followed by {content.Length - end} more bytes. " +
                    "The log is damaged; move it aside to start without it (the double-sign guard still prevents conflicting signatures).");
            }
            WalRecord record;
            try
            {
                record = DecodePayload(payload);
            }
            catch (FormatException e)
            {
                throw new ConsensusWalCorruptedException($"consensus WAL {Path}: record at byte {offset} passes its checksum but cannot be decoded: {e.Message}");
            }
            if (record is WalHeight h)
            {
                Height = h.Height;
                _records.Clear();
            }
            else if (Height is null)
            {
                throw new ConsensusWalCorruptedException($"consensus WAL {Path}: the first record is not a height record");
            }
            else
            {
                _records.Add(record);
            }
            offset = end;
        }
        return offset;
    }

    private static bool IsZeroTail(byte[] content, int offset) => content.AsSpan(offset).IndexOfAnyExcept((byte)0) < 0;

    private static byte[] EncodePayload(WalRecord record) => record switch
    {
        WalHeight h => Rlp.EncodeList(Rlp.EncodeUInt(1), Rlp.EncodeUInt(h.Height)),
        WalInputProposal p => Rlp.EncodeList(Rlp.EncodeUInt(2), p.Proposal.Encode()),
        WalInputVote v => Rlp.EncodeList(Rlp.EncodeUInt(3), v.Vote.Encode()),
        WalInputTimeout t => Rlp.EncodeList(Rlp.EncodeUInt(4), Rlp.EncodeUInt(t.Timeout.Height), Rlp.EncodeUInt((ulong)t.Timeout.Round), Rlp.EncodeUInt((ulong)t.Timeout.Step)),
        WalOwnProposal p => Rlp.EncodeList(Rlp.EncodeUInt(5), p.Proposal.Encode()),
        WalOwnVote v => Rlp.EncodeList(Rlp.EncodeUInt(6), v.Vote.Encode()),
        _ => throw new ArgumentException($"unknown WAL record {record.GetType().Name}"),
    };

    private static WalRecord DecodePayload(ReadOnlySpan<byte> payload)
    {
        var items = Rlp.Decode(payload).Items;
        if (items.Count == 0) throw new RlpException("WAL record: empty list");
        var kind = items[0].AsUInt64();
        IReadOnlyList<RlpItem> Fields(int count) =>
            items.Count == count ? items : throw new RlpException($"WAL record kind {kind}: expected {count} fields, found {items.Count}");
        switch (kind)
        {
            case 1: return new WalHeight(Fields(2)[1].AsUInt64());
            case 2: return new WalInputProposal(Proposal.Decode(Fields(2)[1]));
            case 3: return new WalInputVote(Vote.Decode(Fields(2)[1]));
            case 4:
            {
                var f = Fields(4);
                var step = f[3].AsUInt64();
                if (step > 2) throw new RlpException($"WAL timeout step {step} is not 0, 1 or 2");
                return new WalInputTimeout(new Timeout(f[1].AsUInt64(), f[2].AsInt32(), (ConsensusStep)step));
            }
            case 5: return new WalOwnProposal(Proposal.Decode(Fields(2)[1]));
            case 6: return new WalOwnVote(Vote.Decode(Fields(2)[1]));
            default: throw new RlpException($"unknown WAL record kind {kind}");
        }
    }
}
