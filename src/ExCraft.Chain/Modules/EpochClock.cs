using System.Buffers.Binary;
using ExCraft.Chain.State;

namespace ExCraft.Chain.Modules;

/// <summary>
/// Epochs, computed once for the whole chain (every module sees the same boundary). Epoch 0
/// starts at genesis time; a block whose time is at least the epoch's start plus the epoch length
/// ends the epoch, and the next epoch starts at that block's time. The block executor asks
/// <see cref="Locate"/> before running a block and calls <see cref="Advance"/> after its
/// end-block hooks, before the epoch-end hooks.
/// </summary>
public sealed class EpochClock(ulong epochLengthMs)
{
    /// <summary>Chain-level keys live under a prefix no module may use.</summary>
    public static readonly byte[] ChainPrefix = [0x00];

    private const byte EpochTag = (byte)'e';

    public static readonly byte[] EpochKey = StateKey.Of(ChainPrefix, EpochTag).Build();

    /// <summary>The current epoch and the time it started.</summary>
    public static (ulong Epoch, ulong StartMs) Read(IStateReader state)
    {
        var value = state.Get(EpochKey) ?? throw new InvalidOperationException("no epoch in state");
        return (BinaryPrimitives.ReadUInt64BigEndian(value), BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(8)));
    }

    public static void Write(StateOverlay state, ulong epoch, ulong startMs)
    {
        var value = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(value, epoch);
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(8), startMs);
        state.Set(EpochKey, value);
    }

    /// <summary>Which epoch a block at this time is in, and whether it ends it.</summary>
    public (ulong Epoch, bool EndsEpoch) Locate(IStateReader state, ulong blockTimeMs)
    {
        var (epoch, start) = Read(state);
        return (epoch, blockTimeMs >= start + epochLengthMs);
    }

    /// <summary>Starts the next epoch at the ending block's time.</summary>
    public static void Advance(StateOverlay state, ulong endingEpoch, ulong blockTimeMs) => Write(state, endingEpoch + 1, blockTimeMs);
}
