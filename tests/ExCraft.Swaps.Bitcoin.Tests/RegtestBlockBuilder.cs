using ExCraft.Swaps.Bitcoin;
using NBitcoin;
using NBitcoin.Crypto;

namespace ExCraft.Swaps.Bitcoin.Tests;

/// <summary>
/// Mines a regtest block with exactly the given transactions and hands it to the node with
/// submitblock: a miner that honours BIP125 replacement, which bcoin 1.0.2's own mempool does
/// not implement (it refuses any double spend). The node still validates every transaction
/// and the block in full (scripts, fees, BIP34 height, segwit commitment, proof of work).
/// </summary>
public static class RegtestBlockBuilder
{
    /// <summary>Mines and submits; asserts the node accepted the block as its new tip.</summary>
    public static async Task<Block> MineAsync(BitcoinNodeClient client, Script coinbaseDestination, params Transaction[] transactions)
    {
        var tip = await client.GetBlockCountAsync();
        var (block, verdict) = await TryMineAsync(client, coinbaseDestination, transactions);
        Assert.Null(verdict);
        Assert.Equal(tip + 1, await client.GetBlockCountAsync());
        return block;
    }

    /// <summary>
    /// Mines and submits; returns the node's verdict: null when accepted, else bcoin's
    /// "rejected: reason", the consensus check that refused the block (or a transaction in it).
    /// </summary>
    public static async Task<(Block Block, string? Verdict)> TryMineAsync(BitcoinNodeClient client, Script coinbaseDestination, params Transaction[] transactions)
    {
        var network = client.Network;
        var tip = await client.GetBlockCountAsync();
        var previous = await client.GetBlockAsync(tip);
        var height = tip + 1;

        var coinbase = network.CreateTransaction();
        coinbase.Version = 1;
        // BIP34: the height first in the coinbase script; the second push keeps it over 2 bytes.
        coinbase.Inputs.Add(new TxIn(new OutPoint(uint256.Zero, uint.MaxValue),
            new Script(Op.GetPushOp(height), Op.GetPushOp([0x65, 0x78]))));
        coinbase.Inputs[0].WitScript = new WitScript([new byte[32]], true);
        // Only the subsidy (regtest halves every 150 blocks); the fees are left unclaimed, which is valid.
        coinbase.Outputs.Add(new TxOut(Money.Coins(50m) / (1L << Math.Min(height / 150, 62)), coinbaseDestination));

        var block = network.Consensus.ConsensusFactory.CreateBlock();
        block.Header.Version = 0x20000000;
        block.Header.HashPrevBlock = previous.GetHash();
        block.Header.BlockTime = previous.Header.BlockTime + TimeSpan.FromSeconds(1);
        block.Header.Bits = previous.Header.Bits;
        block.Transactions.Add(coinbase);
        block.Transactions.AddRange(transactions);

        // BIP141 commitment: the witness merkle root (coinbase counted as zero) with a zero nonce.
        var witnessRoot = MerkleNode.GetRoot(block.Transactions.Select((tx, i) => i == 0 ? uint256.Zero : tx.GetWitHash())).Hash!;
        var commitment = Hashes.DoubleSHA256([.. witnessRoot.ToBytes(), .. new byte[32]]);
        coinbase.Outputs.Add(new TxOut(Money.Zero, new Script(OpcodeType.OP_RETURN, Op.GetPushOp([0xaa, 0x21, 0xa9, 0xed, .. commitment.ToBytes()]))));

        block.UpdateMerkleRoot();
        // Regtest's target passes about every second hash; the bound only guards against a wrong target.
        for (uint nonce = 0; !block.Header.CheckProofOfWork(); nonce++)
        {
            if (nonce > 1_000_000)
                throw new InvalidOperationException("no nonce found below the regtest target");
            block.Header.Nonce = nonce;
        }
        return (block, await client.SubmitBlockAsync(block));
    }
}
