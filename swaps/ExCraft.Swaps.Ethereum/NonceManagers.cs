using System.Collections.Concurrent;
using System.Numerics;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// The one <see cref="NonceManager"/> of each address on one chain. Every sender for an address
/// takes its manager from here, so parallel senders of the same account share the sequence.
/// </summary>
public sealed class NonceManagers
{
    private readonly ConcurrentDictionary<string, NonceManager> byAddress = new(StringComparer.OrdinalIgnoreCase);

    public NonceManager For(string address, Func<CancellationToken, Task<BigInteger>> readPendingCount) =>
        byAddress.GetOrAdd(address, a => new NonceManager(a, readPendingCount));
}
