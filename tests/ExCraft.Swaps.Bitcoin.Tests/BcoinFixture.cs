using ExCraft.Swaps.Bitcoin;
using NBitcoin;

namespace ExCraft.Swaps.Bitcoin.Tests;

/// <summary>
/// One bcoin regtest node for a test class, with a miner key whose coinbase outputs fund the
/// tests. 1,400 blocks are mined at start: bcoin's regtest activates segwit after 432 blocks
/// and enforces OP_CHECKLOCKTIMEVERIFY (BIP65) in blocks only from height 1351 (below it CLTV is
/// a no-op in consensus and only mempool policy checks it), so the refund tests run where
/// consensus enforces the timelock. Each test takes its own mature coinbase, oldest first.
/// </summary>
public sealed class BcoinFixture : IAsyncLifetime
{
    public const int CoinbaseMaturity = 100;
    public const int MinedAtStart = 1400;
    private readonly SemaphoreSlim gate = new(1, 1);
    private int nextCoinbaseHeight = 1;

    public BcoinRegtestNode Node { get; private set; } = null!;
    public BitcoinNodeClient Client => Node.Client;
    public Network Network => BitcoinNetworks.BcoinRegtest;
    public Key MinerKey { get; } = new();
    public BitcoinAddress MinerAddress => MinerKey.PubKey.GetAddress(ScriptPubKeyType.Segwit, Network);

    /// <summary>The floor every test pays: 2 sat/vB, above bcoin's 1 sat/vB relay minimum.</summary>
    public FeeRate FeeRate { get; } = new(Money.Satoshis(2000));

    public async Task InitializeAsync()
    {
        Node = await BcoinRegtestNode.StartAsync();
        for (var i = 0; i < MinedAtStart / 100; i++)
            await Client.GenerateToAddressAsync(100, MinerAddress);
    }

    public Task DisposeAsync()
    {
        Node?.Dispose();
        return Task.CompletedTask;
    }

    public Task<int> TipAsync() => Client.GetBlockCountAsync();

    public Task MineAsync(int blocks) => Client.GenerateToAddressAsync(blocks, MinerAddress);

    /// <summary>The next unused mature coinbase output of the miner.</summary>
    public async Task<Coin> TakeCoinAsync()
    {
        await gate.WaitAsync();
        try
        {
            var tip = await TipAsync();
            if (nextCoinbaseHeight > tip - CoinbaseMaturity)
                await MineAsync(CoinbaseMaturity);
            var block = await Client.GetBlockAsync(nextCoinbaseHeight++);
            var coinbase = block.Transactions[0];
            var index = coinbase.Outputs.FindIndex(o => o.ScriptPubKey == MinerAddress.ScriptPubKey);
            Assert.True(index >= 0, "the coinbase pays the miner");
            return new Coin(coinbase, (uint)index);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Locks <paramref name="amount"/> in the HTLC from a fresh coinbase and mines it into a block.</summary>
    public async Task<HtlcFunding.Funded> FundAndConfirmAsync(HtlcContract contract, Money amount)
    {
        var funded = HtlcFunding.Build(Network, contract, amount, [await TakeCoinAsync()], [MinerKey], MinerAddress.ScriptPubKey, FeeRate);
        await Client.SendAsync(funded.Transaction);
        await MineAsync(1);
        return funded;
    }

    /// <summary>
    /// The confirmed balance the node's UTXO set holds for a script: outputs paying it in
    /// blocks from <paramref name="fromHeight"/> that gettxout still reports unspent.
    /// </summary>
    public async Task<Money> ConfirmedBalanceAsync(Script script, int fromHeight)
    {
        var total = Money.Zero;
        var tip = await TipAsync();
        for (var h = fromHeight; h <= tip; h++)
        {
            var block = await Client.GetBlockAsync(h);
            foreach (var tx in block.Transactions)
            {
                for (var i = 0; i < tx.Outputs.Count; i++)
                {
                    if (tx.Outputs[i].ScriptPubKey != script)
                        continue;
                    var utxo = await Client.GetTxOutAsync(new OutPoint(tx, i), includeMempool: false);
                    if (utxo is not null)
                        total += utxo.TxOut.Value;
                }
            }
        }
        return total;
    }
}
