using System.Text.Json.Nodes;
using NBitcoin;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>
/// Fee rate for HTLC transactions: the node's estimatesmartfee for a confirmation target, never
/// below a floor. A node without enough history (any fresh regtest) answers -1 or an error, and
/// then the floor is used: a swap must never stall on a fee the network would not relay.
/// </summary>
public sealed class FeeEstimator(BitcoinJsonRpc rpc, FeeRate floor)
{
    public FeeRate Floor { get; } = floor ?? throw new ArgumentNullException(nameof(floor));

    public async Task<FeeRate> EstimateAsync(int confirmationTarget, CancellationToken ct = default)
    {
        if (confirmationTarget < 1 || confirmationTarget > 1008)
            throw new ArgumentOutOfRangeException(nameof(confirmationTarget), confirmationTarget, "the confirmation target is 1 to 1008 blocks");
        var estimate = await NodeEstimateAsync(confirmationTarget, ct).ConfigureAwait(false);
        return estimate is null || estimate < Floor ? Floor : estimate;
    }

    /// <summary>The node's own estimate, or null when it has none.</summary>
    public async Task<FeeRate?> NodeEstimateAsync(int confirmationTarget, CancellationToken ct = default)
    {
        JsonNode? result;
        try
        {
            result = await rpc.CallAsync("estimatesmartfee", ct, confirmationTarget).ConfigureAwait(false);
        }
        catch (BitcoinRpcException e) when (e.Code <= 0) // the node's answer (not found, no estimate); HTTP and auth failures propagate
        {
            return null; // "Fee estimation not available" and the like: no estimate, use the floor.
        }
        return ParseBtcPerKvB(result);
    }

    /// <summary>
    /// bitcoind answers {"feerate": BTC/kvB}, bcoin 1.0.2 {"fee": BTC/kB}; both mean per 1000
    /// (virtual) bytes. Negative or missing means no estimate.
    /// </summary>
    internal static FeeRate? ParseBtcPerKvB(JsonNode? result)
    {
        var value = result?["feerate"] ?? result?["fee"];
        if (value is null)
            return null;
        var btcPerKvB = value.GetValue<decimal>();
        if (btcPerKvB <= 0)
            return null;
        return new FeeRate(Money.Coins(btcPerKvB));
    }
}
