using System.Numerics;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// What one poll of a <see cref="HtlcWatcher"/> changed. <see cref="Added"/>: events newly read
/// (oldest first), including events read again on a new branch after a reorganisation.
/// <see cref="Retracted"/>: events an earlier poll reported whose block has left the best chain
/// ("unconfirmed again"; a swap locked or claimed there is not, until an event says so again).
/// <see cref="ForkBlock"/>: the last block still on the best chain when a reorganisation was
/// found, null when none was.
/// </summary>
public sealed record HtlcWatchUpdate(IReadOnlyList<HtlcEvent> Added, IReadOnlyList<HtlcEvent> Retracted, BigInteger? ForkBlock);
