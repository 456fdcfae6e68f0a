using System.Numerics;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// Hands out the nonces of one address in order. Sends from that address run one at a time
/// through <see cref="SendWithNextNonceAsync{T}"/>, so two transactions never get the same nonce
/// and none is skipped. The first nonce, and the next one after any failed send, is read from
/// the node's pending count, so a rejected transaction leaves no gap.
/// </summary>
public sealed class NonceManager
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Func<CancellationToken, Task<BigInteger>> readPendingCount;
    private BigInteger? next;

    public NonceManager(string address, Func<CancellationToken, Task<BigInteger>> readPendingCount)
    {
        Address = address;
        this.readPendingCount = readPendingCount;
    }

    public string Address { get; }

    /// <summary>Runs <paramref name="send"/> with the next nonce; the nonce is used only if it returns.</summary>
    public async Task<T> SendWithNextNonceAsync<T>(Func<BigInteger, Task<T>> send, CancellationToken ct = default)
    {
        await gate.WaitAsync(ct);
        try
        {
            var nonce = next ?? await readPendingCount(ct);
            try
            {
                var result = await send(nonce);
                next = nonce + 1;
                return result;
            }
            catch
            {
                next = null; // unknown whether the node took it: ask again next time
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }
}
