using ExCraft.Swaps.Bitcoin;
using NBitcoin;

namespace ExCraft.Swaps.Engine.Bitcoin;

/// <summary>
/// The coins of one key, found through the node's plain RPC so that it works on bitcoind and on
/// bcoin alike without a wallet or an address index (docs/swaps-bitcoin.md "The CLI's coin
/// source"): blocks from <paramref name="fromHeight"/> to the tip are read once (getblockhash,
/// getblock) for outputs paying the key's P2WPKH script, and each candidate is checked with
/// gettxout including the mempool, so a coin already spent by a pending transaction is left
/// out. Only confirmed coins are offered, and coinbase outputs only once mature. The change of
/// a funding goes back to the same script.
/// </summary>
public sealed class KeyCoinSource(BitcoinNodeClient node, Key key, int fromHeight)
{
    public const int CoinbaseMaturity = 100;
    private readonly List<Coin> seen = [];
    private readonly HashSet<OutPoint> coinbase = [];
    private int nextHeight = Math.Max(fromHeight, 0);

    /// <summary>The script this key's coins pay (P2WPKH), also where change goes.</summary>
    public Script Script { get; } = key.PubKey.WitHash.ScriptPubKey;

    /// <summary>The key's confirmed, unspent, spendable coins, oldest first.</summary>
    public async Task<IReadOnlyList<Coin>> SpendableAsync(CancellationToken ct)
    {
        var tip = await node.GetBlockCountAsync(ct).ConfigureAwait(false);
        for (; nextHeight <= tip; nextHeight++)
        {
            var block = await node.GetBlockAsync(nextHeight, ct).ConfigureAwait(false);
            foreach (var tx in block.Transactions)
            {
                for (var i = 0; i < tx.Outputs.Count; i++)
                {
                    if (tx.Outputs[i].ScriptPubKey != Script) continue;
                    var coin = new Coin(tx, (uint)i);
                    seen.Add(coin);
                    if (tx.IsCoinBase) coinbase.Add(coin.Outpoint);
                }
            }
        }
        var spendable = new List<Coin>();
        foreach (var coin in seen)
        {
            var utxo = await node.GetTxOutAsync(coin.Outpoint, includeMempool: true, ct).ConfigureAwait(false);
            if (utxo is null || utxo.Confirmations < 1) continue; // spent (in a block or the mempool), or not in a block
            if (coinbase.Contains(coin.Outpoint) && utxo.Confirmations < CoinbaseMaturity) continue;
            spendable.Add(coin);
        }
        return spendable;
    }

    /// <summary>
    /// What <see cref="BitcoinLeg"/> funds a lock with: every spendable coin (NBitcoin's builder
    /// picks among them) signed by this key, change to this key. Refuses, naming the address, when
    /// the coins do not even cover a positive amount.
    /// </summary>
    public async Task<BitcoinFunds> FundsAsync(Money amount, CancellationToken ct)
    {
        var coins = await SpendableAsync(ct).ConfigureAwait(false);
        var total = coins.Aggregate(Money.Zero, (sum, c) => sum + c.Amount);
        if (amount > Money.Zero && total <= amount) // asked for nothing (the change key of a CPFP bump), it answers even without coins
        {
            throw new InvalidOperationException(
                $"the Bitcoin key's address {key.PubKey.GetAddress(ScriptPubKeyType.Segwit, node.Network)} holds {total.ToUnit(MoneyUnit.BTC)} BTC " +
                $"in confirmed coins from height {fromHeight} on; the lock needs {amount.ToUnit(MoneyUnit.BTC)} BTC and its fee");
        }
        return new BitcoinFunds(coins, [key], Script);
    }
}
