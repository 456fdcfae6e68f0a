using System.Numerics;
using System.Security.Cryptography;
using ExCraft.Core;
using ExCraft.Integration.Tests;
using ExCraft.Swaps.Bitcoin;
using ExCraft.Swaps.Bitcoin.Tests;
using ExCraft.Swaps.Engine.Bitcoin;
using ExCraft.Swaps.Engine.Legs;
using NBitcoin;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// One side of an EXT/BTC swap: its ExCraft party (keys and receive-only addresses), the key its
/// Bitcoin leg signs with (the public key the HTLC script commits to), and the receive-only
/// script its Bitcoin claims or refunds pay to, so either shows there as an exact amount.
/// </summary>
public sealed record BtcParty(Party Ext, Key BtcKey, Script BtcReceive, SwapLegs Legs);

/// <summary>Fresh parties and agreed terms of an EXT/BTC swap, with BTC on either role.</summary>
public sealed record BtcSwap(BtcParty Initiator, BtcParty Participant, byte[] Secret, SwapAgreement Terms, int StartHeight, bool BtcInitiator)
{
    public LegTerms BtcLeg => BtcInitiator ? Terms.InitiatorLeg : Terms.ParticipantLeg;

    /// <summary>The party that locks BTC (and refunds it), and the one that claims it.</summary>
    public BtcParty BtcLocker => BtcInitiator ? Initiator : Participant;
    public BtcParty BtcClaimer => BtcInitiator ? Participant : Initiator;
    public BtcParty ExtLocker => BtcInitiator ? Participant : Initiator;
    public BtcParty ExtClaimer => BtcInitiator ? Initiator : Participant;

    public SwapEngine Engine(SwapRole role, SwapEngineOptions options, SwapAgreement? terms = null, byte[]? secret = null) => role == SwapRole.Initiator
        ? SwapEngine.Create(Initiator.Ext.Store, terms ?? Terms, SwapRole.Initiator, secret ?? Secret, Initiator.Legs, options)
        : SwapEngine.Create(Participant.Ext.Store, terms ?? Terms, SwapRole.Participant, null, Participant.Legs, options);

    public BtcParty PartyOf(SwapRole role) => role == SwapRole.Initiator ? Initiator : Participant;
}

/// <summary>
/// Builds EXT/BTC swaps on the shared ExCraft dev node and a class's bcoin regtest node, and
/// mines that node like a live chain (a block every <see cref="BlockInterval"/>, the Bitcoin
/// leg's clock). Timeouts are given in blocks of each chain from its tip.
/// </summary>
public sealed class BtcSwapKit(SwapWorld world, BcoinFixture bitcoin)
{
    public static readonly TimeSpan BlockInterval = TimeSpan.FromMilliseconds(300);
    public static readonly BigInteger ExtAmount = Amount.FromWhole(3);
    public static readonly Money BtcAmount = Money.Satoshis(1_000_000);

    /// <summary>
    /// A swap whose timeouts are t1/t2 blocks of each chain from its tip. Each BTC lock is funded
    /// from a fresh mature coinbase, or from <paramref name="coin"/> when given: taken up front, so
    /// that no mining happens later for it (the stuck-transaction tests mine every block themselves).
    /// </summary>
    public async Task<BtcSwap> CreateAsync(bool btcInitiator, int t1Blocks, int t2Blocks, Coin? coin = null)
    {
        var startHeight = await bitcoin.TipAsync();
        var initiator = await PartyAsync("initiator", startHeight, coin);
        var participant = await PartyAsync("participant", startHeight, coin);
        var secret = RandomNumberGenerator.GetBytes(32);
        var extHeight = await world.ExtHeightAsync();
        // EXT: recipient and refund are receive-only accounts. BTC: they are the keys the script commits to.
        LegTerms Ext(BtcParty claimer, BtcParty refunder, int blocks) => new(ExCraftLeg.ChainName, "EXT", ExtAmount,
            claimer.Ext.ExtReceive.ToString(), refunder.Ext.ExtRefund.ToString(), extHeight + blocks, 1);
        LegTerms Btc(BtcParty claimer, BtcParty refunder, int blocks) => new(BitcoinLeg.ChainName, BitcoinLeg.Asset, BtcAmount.Satoshi,
            claimer.BtcKey.PubKey.ToHex(), refunder.BtcKey.PubKey.ToHex(), startHeight + blocks, 1);
        var terms = btcInitiator
            ? new SwapAgreement(SHA256.HashData(secret), Btc(participant, initiator, t1Blocks), Ext(initiator, participant, t2Blocks))
            : new SwapAgreement(SHA256.HashData(secret), Ext(participant, initiator, t1Blocks), Btc(initiator, participant, t2Blocks));
        return new BtcSwap(initiator, participant, secret, terms, startHeight, btcInitiator);
    }

    private async Task<BtcParty> PartyAsync(string role, int scanFromHeight, Coin? coin)
    {
        var party = await world.PartyAsync(role);
        var key = new Key();
        var receive = new Key().PubKey.WitHash.ScriptPubKey;
        // Each lock is funded from a mature coinbase of the miner; change goes back to it.
        var leg = new BitcoinLeg(bitcoin.Client, key,
            async (_, _) => new BitcoinFunds([coin ?? await bitcoin.TakeCoinAsync()], [bitcoin.MinerKey], bitcoin.MinerAddress.ScriptPubKey),
            receive, bitcoin.FeeRate, BlockInterval, scanFromHeight);
        return new BtcParty(party, key, receive, new SwapLegs(party.ExtLeg, leg));
    }

    /// <summary>Fundings and spends of the swap's HTLC script since the start, read from bcoin (blocks and mempool).</summary>
    public Task<HtlcActivity> HtlcActivityAsync(BtcSwap s, byte[]? hashLock = null, LegTerms? leg = null)
    {
        var l = leg ?? s.BtcLeg;
        var contract = new HtlcContract(hashLock ?? s.Terms.HashLock, new PubKey(l.Recipient), new PubKey(l.RefundAddress), (int)l.Timeout);
        return new HtlcWatcher(bitcoin.Client, contract, s.StartHeight).ScanAsync();
    }

    /// <summary>What a mined spend of the HTLC paid to <paramref name="to"/>: the locked amount less that spend's own fee (fee rate x vsize).</summary>
    public async Task<Money> AwaitMinedPaymentAsync(string txId, Script to, int fromHeight, Money? locked = null)
    {
        var tx = await bitcoin.Client.GetTransactionAsync(uint256.Parse(txId));
        Assert.NotNull(tx);
        var expected = (locked ?? BtcAmount) - bitcoin.FeeRate.GetFee(tx.GetVirtualSize());
        Assert.Equal(expected, Assert.Single(tx.Outputs).Value);
        Assert.Equal(to, tx.Outputs[0].ScriptPubKey);
        await Until.TrueAsync(async () => await bitcoin.ConfirmedBalanceAsync(to, fromHeight) == expected, TimeSpan.FromSeconds(30), $"{txId} is mined");
        return expected;
    }

    public Task<Money> ConfirmedBalanceAsync(Script script, int fromHeight) => bitcoin.ConfirmedBalanceAsync(script, fromHeight);

    /// <summary>Extends the regtest chain every <see cref="BlockInterval"/> until disposed.</summary>
    public RegtestMiner StartMining() => new(bitcoin, BlockInterval);
}
