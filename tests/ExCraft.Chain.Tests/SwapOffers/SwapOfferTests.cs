using System.Security.Cryptography;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.Modules.Htlc;
using ExCraft.Chain.Modules.SwapOffers;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.SwapOffers;

/// <summary>
/// The swapoffers module's rules on a real single-validator chain: exact escrow, the take that
/// starts the swap (the initiator's native HTLC and the terms), cancel and expiry refunds, and every
/// refusal leaving balances, escrow and offers as they were (but for the fee when it reached a block).
/// </summary>
public sealed class SwapOfferTests : IDisposable
{
    private readonly TestChain _t = new();
    private readonly ulong[] _nonces = new ulong[4];
    private static readonly Address Alice = TestChain.Key(0).Address;
    private static readonly Address Bob = TestChain.Key(1).Address;
    private static readonly Address Carol = TestChain.Key(2).Address;
    private static readonly UInt128 Given = Amount.FromWhole(25);
    private static readonly UInt128 Fee = TestChain.MinFee;
    private static readonly byte[] AliceBtcKey = TestChain.Key(0).PublicKey.Compressed;
    private static readonly byte[] BobBtcKey = TestChain.Key(1).PublicKey.Compressed;
    private static readonly byte[] BobEthAddress = Hex.Decode("0x00000000000000000000000000000000000000b0");
    private static readonly byte[] Secret = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] HashLock = SHA256.HashData(Secret);
    private const string Usdc = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";

    public void Dispose() => _t.Dispose();

    private SwapOfferQueries Queries => SwapOffersModule.Queries(_t.Chain.State);

    private HtlcQueries Htlcs => HtlcModule.Queries(_t.Chain.State);

    /// <summary>Submits one transaction (it must enter the mempool), makes a block of it and returns its receipt.</summary>
    private Receipt Run(int from, TxPayload payload)
    {
        var submitted = _t.Submit(_t.Sign(from, payload, _nonces[from]++));
        Assert.True(submitted.Accepted, submitted.Error);
        return Assert.Single(_t.ProduceBlock().Receipts);
    }

    /// <summary>Submits a transaction the mempool must refuse; the sender's nonce is not used.</summary>
    private SubmitResult Refused(int from, TxPayload payload)
    {
        var submitted = _t.Submit(_t.Sign(from, payload, _nonces[from]));
        Assert.False(submitted.Accepted);
        return submitted;
    }

    /// <summary>Alice offers 25 EXT for 0.01 BTC (maker gives the native side, so Alice is the initiator and brings the hash).</summary>
    private static SwapOfferPostPayload SellExt(ulong expiryHeight) =>
        new(SwapOfferSide.MakerGivesNative, AssetSymbol.Native, Given, SwapOfferRules.Bitcoin, SwapOfferRules.Btc, 1_000_000, AliceBtcKey, HashLock, 40, 3_600, expiryHeight);

    /// <summary>Alice offers 2 ETH for 25 EXT (maker gives the outside side: the taker brings the EXT and the hash).</summary>
    private static SwapOfferPostPayload BuyExt(ulong expiryHeight) =>
        new(SwapOfferSide.MakerGivesOutside, AssetSymbol.Native, Given, SwapOfferRules.Ethereum, SwapOfferRules.Eth, 2_000_000_000_000_000_000,
            Hex.Decode("0x00000000000000000000000000000000000000a0"), [], 30, 1_800, expiryHeight);

    /// <summary>Posts as Alice and returns the offer id (Alice's post nonce) and the post height.</summary>
    private (byte[] Id, ulong Height) Post(SwapOfferPostPayload payload)
    {
        var nonce = _nonces[0];
        var receipt = Run(0, payload);
        Assert.True(receipt.Success, receipt.Error);
        return (SwapOfferRules.IdOf(Alice, nonce), _t.Chain.Head.Height);
    }

    private ulong Next => _t.Chain.Head.Height + 1;

    private void EmptyBlocksUntil(ulong height)
    {
        for (var i = 0; i < 100 && _t.Chain.Head.Height < height; i++) _t.ProduceBlock();
        Assert.Equal(height, _t.Chain.Head.Height);
    }

    [Fact]
    public void Posting_the_native_side_escrows_exactly_its_amount_and_lists_the_offer()
    {
        var expiry = Next + 20;
        var receipt = Run(0, SellExt(expiry));

        Assert.True(receipt.Success, receipt.Error);
        var id = SwapOfferRules.IdOf(Alice, 0);
        Assert.Equal(TestChain.StartBalance - Given - Fee, _t.Balance(Alice));
        Assert.Equal(Given, Queries.Escrow(AssetSymbol.Native));
        Assert.Equal([(AssetSymbol.Native, Given)], Queries.AllEscrow());

        var e = Assert.Single(receipt.Events);
        Assert.Equal(SwapOffersModule.Events.Posted, e.Type);
        Assert.Equal((Hex.Encode(id), Alice.ToString(), "native"), (e.Get("id"), e.Get("maker"), e.Get("makerGives")));
        Assert.Equal(("EXT", "25000000000000000000", "bitcoin", "BTC", "1000000"),
            (e.Get("nativeAsset"), e.Get("nativeAmount"), e.Get("outsideChain"), e.Get("outsideAsset"), e.Get("outsideAmount")));
        Assert.Equal((Hex.Encode(AliceBtcKey), Hex.Encode(HashLock), "40", "3600", expiry.ToString()),
            (e.Get("makerOutsideKey"), e.Get("hashLock"), e.Get("lockBlocks"), e.Get("outsideLockSeconds"), e.Get("expiryHeight")));

        var offer = Queries.Get(id)!;
        Assert.Equal((Alice, SwapOfferSide.MakerGivesNative, SwapOfferStatus.Open, expiry, _t.Chain.Head.Height), (offer.Maker, offer.Side, offer.Status, offer.ExpiryHeight, offer.PostHeight));
        Assert.Null(offer.Taker);
        Assert.Null(offer.Terms());
        Assert.Equal(id, Assert.Single(Queries.Open(10).Offers).Id);
        Assert.Equal(id, Assert.Single(Queries.OpenOfPair("EXT", "bitcoin", "BTC", 10).Offers).Id);
        Assert.Empty(Queries.OpenOfPair("EXT", "ethereum", "ETH", 10).Offers);
        Assert.Equal(id, Assert.Single(Queries.ByAccount(Alice, 10).Offers).Id);
        Assert.Empty(Queries.ByAccount(Bob, 10).Offers);
    }

    [Fact]
    public void Posting_the_outside_side_escrows_nothing()
    {
        var (id, _) = Post(BuyExt(Next + 20));

        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Alice));
        Assert.Equal(UInt128.Zero, Queries.Escrow(AssetSymbol.Native));
        Assert.Equal(SwapOfferStatus.Open, Queries.Get(id)!.Status);
        Assert.Empty(Queries.Get(id)!.HashLock);
    }

    [Fact]
    public void Taking_a_native_offer_moves_the_escrow_into_the_makers_htlc_and_records_the_terms()
    {
        var (id, postHeight) = Post(SellExt(Next + 20));
        var receipt = Run(1, new SwapOfferTakePayload(id, BobBtcKey, []));

        Assert.True(receipt.Success, receipt.Error);
        var takeHeight = _t.Chain.Head.Height;
        // The escrow left the offer module and sits in the HTLC; no balance changed but Bob's fee.
        Assert.Equal(UInt128.Zero, Queries.Escrow(AssetSymbol.Native));
        Assert.Equal(Given, Htlcs.Locked(AssetSymbol.Native));
        Assert.Equal(TestChain.StartBalance - Given - Fee, _t.Balance(Alice));
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Bob));

        var htlc = Htlcs.Get(id)!;
        Assert.Equal((Alice, Bob, Alice, "EXT", Given), (htlc.Sender, htlc.Recipient, htlc.RefundAddress, htlc.Asset, htlc.Amount));
        Assert.Equal((takeHeight + 40, takeHeight, HtlcStatus.Locked), (htlc.TimeoutHeight, htlc.LockHeight, htlc.Status));
        Assert.Equal(HashLock, htlc.HashLock);

        var offer = Queries.Get(id)!;
        Assert.Equal((SwapOfferStatus.Taken, Bob, takeHeight, postHeight), (offer.Status, offer.Taker, offer.ClosedHeight, offer.PostHeight));
        var terms = offer.Terms()!;
        Assert.Equal((Alice, Bob), (terms.Initiator, terms.Participant));
        Assert.Equal(id, terms.NativeHtlcId);
        Assert.Equal(HashLock, terms.HashLock);
        Assert.Equal(("EXT", Given, takeHeight, takeHeight + 40), (terms.NativeAsset, terms.NativeAmount, terms.NativeLockHeight, terms.NativeTimeoutHeight));
        Assert.Equal(("bitcoin", "BTC", (UInt128)1_000_000, 3_600UL), (terms.OutsideChain, terms.OutsideAsset, terms.OutsideAmount, terms.OutsideLockSeconds));
        // Bob locks BTC claimable by Alice's key and refundable to his own.
        Assert.Equal(AliceBtcKey, terms.OutsideClaimKey);
        Assert.Equal(BobBtcKey, terms.OutsideRefundKey);

        Assert.Empty(Queries.Open(10).Offers);
        Assert.Equal(id, Assert.Single(Queries.ByAccount(Bob, 10).Offers).Id);
        Assert.Equal(2, receipt.Events.Count);
        var taken = receipt.Events[0];
        Assert.Equal(SwapOffersModule.Events.Taken, taken.Type);
        Assert.Equal((Alice.ToString(), Bob.ToString(), Alice.ToString(), Bob.ToString(), (takeHeight + 40).ToString()),
            (taken.Get("maker"), taken.Get("taker"), taken.Get("initiator"), taken.Get("participant"), taken.Get("nativeTimeoutHeight")));
        var locked = receipt.Events[1];
        Assert.Equal(HtlcModule.Events.Locked, locked.Type);
        Assert.Equal((Hex.Encode(id), Alice.ToString(), Bob.ToString(), "25000000000000000000"), (locked.Get("id"), locked.Get("sender"), locked.Get("recipient"), locked.Get("amount")));

        // The native leg is an ordinary HTLC: Bob claims it with the secret Alice reveals on Bitcoin.
        Assert.True(Run(1, new HtlcClaimPayload(id, Secret)).Success);
        Assert.Equal(TestChain.StartBalance + Given - 2 * Fee, _t.Balance(Bob));
        Assert.Equal(UInt128.Zero, Htlcs.Locked(AssetSymbol.Native));
    }

    [Fact]
    public void Taking_an_outside_offer_locks_the_takers_native_side_under_the_takers_hash()
    {
        var (id, _) = Post(BuyExt(Next + 20));
        var receipt = Run(1, new SwapOfferTakePayload(id, BobEthAddress, HashLock));

        Assert.True(receipt.Success, receipt.Error);
        var takeHeight = _t.Chain.Head.Height;
        Assert.Equal(TestChain.StartBalance - Given - Fee, _t.Balance(Bob));
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Alice));
        Assert.Equal(Given, Htlcs.Locked(AssetSymbol.Native));
        var htlc = Htlcs.Get(id)!;
        Assert.Equal((Bob, Alice, Bob, takeHeight + 30), (htlc.Sender, htlc.Recipient, htlc.RefundAddress, htlc.TimeoutHeight));

        var terms = Queries.Get(id)!.Terms()!;
        Assert.Equal((Bob, Alice), (terms.Initiator, terms.Participant));
        Assert.Equal(HashLock, terms.HashLock);
        // Alice locks 2 ETH claimable by Bob's address, refundable to hers.
        Assert.Equal(BobEthAddress, terms.OutsideClaimKey);
        Assert.Equal(Hex.Decode("0x00000000000000000000000000000000000000a0"), terms.OutsideRefundKey);

        // If Alice never locks, Bob (the initiator) refunds his native side after the timeout.
        EmptyBlocksUntil(takeHeight + 30);
        Assert.True(Run(2, new HtlcRefundPayload(id)).Success);
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Bob));
    }

    [Fact]
    public void Cancel_by_the_maker_returns_the_escrow_and_closes_the_offer()
    {
        var (id, _) = Post(SellExt(Next + 20));
        var receipt = Run(0, new SwapOfferCancelPayload(id));

        Assert.True(receipt.Success, receipt.Error);
        Assert.Equal(TestChain.StartBalance - 2 * Fee, _t.Balance(Alice));
        Assert.Equal(UInt128.Zero, Queries.Escrow(AssetSymbol.Native));
        Assert.Empty(Queries.AllEscrow());
        var offer = Queries.Get(id)!;
        Assert.Equal((SwapOfferStatus.Cancelled, _t.Chain.Head.Height), (offer.Status, offer.ClosedHeight));
        Assert.Empty(Queries.Open(10).Offers);
        Assert.Empty(Queries.OpenOfPair("EXT", "bitcoin", "BTC", 10).Offers);
        Assert.Single(Queries.ByAccount(Alice, 10).Offers); // still in the maker's history
        var e = Assert.Single(receipt.Events);
        Assert.Equal(SwapOffersModule.Events.Cancelled, e.Type);
        Assert.Equal((Hex.Encode(id), "25000000000000000000"), (e.Get("id"), e.Get("refunded")));
    }

    [Fact]
    public void An_offer_expires_at_its_height_in_the_begin_block_hook_and_returns_the_escrow()
    {
        var (id, postHeight) = Post(SellExt(Next + 3));
        EmptyBlocksUntil(postHeight + 2);
        Assert.Equal(SwapOfferStatus.Open, Queries.Get(id)!.Status);
        Assert.Equal(Given, Queries.Escrow(AssetSymbol.Native));

        _t.ProduceBlock(); // the expiry height
        var offer = Queries.Get(id)!;
        Assert.Equal((SwapOfferStatus.Expired, postHeight + 3), (offer.Status, offer.ClosedHeight));
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Alice));
        Assert.Equal(UInt128.Zero, Queries.Escrow(AssetSymbol.Native));
        Assert.Empty(Queries.Open(10).Offers);
        var e = Assert.Single(_t.Chain.GetBlockEvents(postHeight + 3), x => x.Type == SwapOffersModule.Events.Expired);
        Assert.Equal((Hex.Encode(id), Alice.ToString(), "25000000000000000000"), (e.Get("id"), e.Get("maker"), e.Get("refunded")));
    }

    /// <summary>More due offers than one page of the expiry index (64), with later ones behind them: all due ones close, none early.</summary>
    [Fact]
    public void Offers_due_in_one_block_beyond_a_page_all_expire_and_later_ones_stay_open()
    {
        var expiry = Next + 2;
        var ids = new List<(byte[] Id, ulong Expiry)>();
        for (var i = 0; i < 150; i++)
        {
            var due = i % 5 == 4 ? expiry + 1 : expiry; // 120 at the first height, 30 a block later, interleaved in nonce order
            var nonce = _nonces[0];
            Assert.True(_t.Submit(_t.Sign(0, BuyExt(due), _nonces[0]++)).Accepted);
            ids.Add((SwapOfferRules.IdOf(Alice, nonce), due));
        }
        _t.ProduceBlock();
        Assert.Equal(150, SwapOfferState.ReadOpenIds(_t.Chain.State).Count());
        EmptyBlocksUntil(expiry);
        Assert.Equal(120, _t.Chain.GetBlockEvents(expiry).Count(x => x.Type == SwapOffersModule.Events.Expired));
        foreach (var (id, due) in ids) Assert.Equal(due == expiry ? SwapOfferStatus.Expired : SwapOfferStatus.Open, Queries.Get(id)!.Status);
        _t.ProduceBlock();
        Assert.Equal(30, _t.Chain.GetBlockEvents(expiry + 1).Count(x => x.Type == SwapOffersModule.Events.Expired));
        Assert.All(ids, x => Assert.Equal(SwapOfferStatus.Expired, Queries.Get(x.Id)!.Status));
    }

    [Fact]
    public void An_outside_offer_expires_with_nothing_to_return()
    {
        var (id, postHeight) = Post(BuyExt(Next + 1));
        _t.ProduceBlock();
        Assert.Equal(SwapOfferStatus.Expired, Queries.Get(id)!.Status);
        Assert.Equal("0", Assert.Single(_t.Chain.GetBlockEvents(postHeight + 1), x => x.Type == SwapOffersModule.Events.Expired).Get("refunded"));
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Alice));
    }

    [Fact]
    public void Taking_a_taken_offer_fails_and_changes_nothing_but_the_fee()
    {
        var (id, _) = Post(SellExt(Next + 20));
        Assert.True(Run(1, new SwapOfferTakePayload(id, BobBtcKey, [])).Success);
        var before = Queries.Get(id)!;

        var receipt = Run(2, new SwapOfferTakePayload(id, TestChain.Key(2).PublicKey.Compressed, []));

        Assert.False(receipt.Success);
        Assert.Contains("is already taken", receipt.Error);
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Carol));
        Assert.Equal(before.Encode(), Queries.Get(id)!.Encode());
        Assert.Equal(Bob, Htlcs.Get(id)!.Recipient);
        Assert.Equal(Given, Htlcs.Locked(AssetSymbol.Native));
    }

    [Fact]
    public void Taking_a_cancelled_offer_fails_and_changes_nothing_but_the_fee()
    {
        var (id, _) = Post(BuyExt(Next + 20));
        Assert.True(Run(0, new SwapOfferCancelPayload(id)).Success);

        var receipt = Run(1, new SwapOfferTakePayload(id, BobEthAddress, HashLock));

        Assert.False(receipt.Success);
        Assert.Contains("is already cancelled", receipt.Error);
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Bob));
        Assert.Null(Htlcs.Get(id));
        Assert.Equal(UInt128.Zero, Htlcs.Locked(AssetSymbol.Native));
        Assert.Equal(SwapOfferStatus.Cancelled, Queries.Get(id)!.Status);
    }

    [Fact]
    public void Taking_an_expired_offer_fails_and_changes_nothing_but_the_fee()
    {
        var (id, postHeight) = Post(SellExt(Next + 2));
        EmptyBlocksUntil(postHeight + 1);
        // Submitted below the expiry height, included in the block at it: the hook has expired it first.
        var receipt = Run(1, new SwapOfferTakePayload(id, BobBtcKey, []));

        Assert.Equal(postHeight + 2, _t.Chain.Head.Height);
        Assert.False(receipt.Success);
        Assert.Contains("is already expired", receipt.Error);
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Bob));
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Alice));
        Assert.Null(Htlcs.Get(id));
        Assert.Null(Queries.Get(id)!.Taker);
    }

    [Fact]
    public void Cancel_by_another_account_or_after_the_take_fails_and_changes_nothing_but_the_fee()
    {
        var (id, _) = Post(SellExt(Next + 20));

        var byBob = Run(1, new SwapOfferCancelPayload(id));
        Assert.False(byBob.Success);
        Assert.Contains("only its maker", byBob.Error);
        Assert.Equal(TestChain.StartBalance - Fee, _t.Balance(Bob));
        Assert.Equal(SwapOfferStatus.Open, Queries.Get(id)!.Status);
        Assert.Equal(Given, Queries.Escrow(AssetSymbol.Native));

        Assert.True(Run(1, new SwapOfferTakePayload(id, BobBtcKey, [])).Success);
        var afterTake = Run(0, new SwapOfferCancelPayload(id));
        Assert.False(afterTake.Success);
        Assert.Contains("is already taken", afterTake.Error);
        Assert.Equal(TestChain.StartBalance - Given - 2 * Fee, _t.Balance(Alice));
        Assert.Equal(Given, Htlcs.Locked(AssetSymbol.Native));
        Assert.Equal(HtlcStatus.Locked, Htlcs.Get(id)!.Status);
    }

    [Fact]
    public void A_take_that_does_not_fit_the_offer_fails_and_changes_nothing_but_the_fee()
    {
        var (sell, _) = Post(SellExt(Next + 20));
        var (buy, _) = Post(BuyExt(Next + 20));

        Assert.Contains("cannot take its own offer", Run(0, new SwapOfferTakePayload(sell, BobBtcKey, [])).Error);
        // An ethereum address offered for a bitcoin swap, and a bitcoin key for an ethereum one.
        Assert.Contains("bitcoin key must be a 33-byte compressed public key", Run(1, new SwapOfferTakePayload(sell, BobEthAddress, [])).Error);
        Assert.Contains("ethereum address must be 20 bytes", Run(1, new SwapOfferTakePayload(buy, BobBtcKey, HashLock)).Error);
        // The hash comes from the initiator only.
        Assert.Contains("must not carry one", Run(1, new SwapOfferTakePayload(sell, BobBtcKey, HashLock)).Error);
        Assert.Contains("must bring its 32-byte hash lock", Run(1, new SwapOfferTakePayload(buy, BobEthAddress, [])).Error);
        Assert.Contains("does not exist", Run(1, new SwapOfferTakePayload(SwapOfferRules.IdOf(Carol, 9), BobBtcKey, [])).Error);

        Assert.Equal(TestChain.StartBalance - 5 * Fee, _t.Balance(Bob));
        Assert.Equal(TestChain.StartBalance - Given - 3 * Fee, _t.Balance(Alice));
        Assert.Equal(2, Queries.Open(10).Offers.Count);
        Assert.Empty(Htlcs.AllLocked());
        Assert.Equal(Given, Queries.Escrow(AssetSymbol.Native));
    }

    [Fact]
    public void A_taker_without_the_native_amount_fails_and_changes_nothing_but_the_fee()
    {
        // Carol keeps 10 EXT; the offer wants 25 from its taker.
        Assert.True(Run(2, new TransferPayload(Bob, AssetSymbol.Native, TestChain.StartBalance - Amount.FromWhole(10) - Fee)).Success);
        var (id, _) = Post(BuyExt(Next + 20));

        var receipt = Run(2, new SwapOfferTakePayload(id, BobEthAddress, HashLock));

        Assert.False(receipt.Success);
        Assert.Equal(Amount.FromWhole(10) - Fee, _t.Balance(Carol));
        Assert.Equal(SwapOfferStatus.Open, Queries.Get(id)!.Status);
        Assert.Null(Htlcs.Get(id));
    }

    public static TheoryData<string, SwapOfferPostPayload> BadPosts()
    {
        var good = SellExt(1_000);
        return new()
        {
            { "the native amount must be greater than zero", good with { NativeAmount = 0 } },
            { "the outside amount must be greater than zero", good with { OutsideAmount = 0 } },
            { "more than 21 million BTC", good with { OutsideAmount = SwapOfferRules.MaxBitcoinAmount + 1 } },
            { "symbol", good with { NativeAsset = "e" } },
            { "unknown outside chain", good with { OutsideChain = "dogecoin" } },
            { "on bitcoin must be BTC", good with { OutsideAsset = "ETH" } },
            { "ETH or an ERC20 contract address", good with { OutsideChain = "ethereum", OutsideAsset = "0xA0b86991c6218b36c1d19d4a2e9eb0ce3606eB48", MakerOutsideKey = BobEthAddress } },
            { "must not be the zero address", good with { OutsideChain = "ethereum", OutsideAsset = "0x" + new string('0', 40), MakerOutsideKey = BobEthAddress } },
            { "bitcoin key must be a 33-byte compressed public key", good with { MakerOutsideKey = BobEthAddress } },
            { "bitcoin key must be a 33-byte compressed public key", good with { MakerOutsideKey = TestChain.Key(0).PublicKey.Uncompressed } },
            { "not a point on secp256k1", good with { MakerOutsideKey = [0x02, .. Enumerable.Repeat((byte)0xff, 32)] } },
            { "ethereum address must be 20 bytes", good with { OutsideChain = "ethereum", OutsideAsset = "ETH", MakerOutsideKey = AliceBtcKey } },
            { "ethereum address must not be the zero address", good with { OutsideChain = "ethereum", OutsideAsset = "ETH", MakerOutsideKey = new byte[20] } },
            { "carries its hash lock", good with { HashLock = [] } },
            { "must not carry one", BuyExt(1_000) with { HashLock = HashLock } },
            { "native lock must run", good with { LockBlocks = 0 } },
            { "native lock must run", good with { LockBlocks = SwapOfferRules.MaxLockBlocks + 1 } },
            { "outside lock must run", good with { OutsideLockSeconds = 0 } },
            { "expiry height must be greater than zero", good with { ExpiryHeight = 0 } },
        };
    }

    [Theory]
    [MemberData(nameof(BadPosts))]
    public void A_post_with_bad_terms_is_refused_as_malformed_and_changes_nothing(string error, SwapOfferPostPayload payload)
    {
        var refused = Refused(0, payload);

        Assert.Equal(RejectReason.Malformed, refused.Reason);
        Assert.Contains(error, refused.Error);
        Assert.Equal(0, _t.Mempool.Count);
        Assert.Equal(TestChain.StartBalance, _t.Balance(Alice));
        Assert.Empty(Queries.AllEscrow());
    }

    [Fact]
    public void A_post_of_an_unknown_asset_or_past_expiry_is_refused_and_moves_nothing()
    {
        // The mempool checks the escrow it would take: an asset that does not exist, more than the balance.
        Assert.Equal(RejectReason.UnknownAsset, Refused(0, SellExt(1_000) with { NativeAsset = "GOLD" }).Reason);
        Assert.Equal(RejectReason.InsufficientFunds, Refused(0, SellExt(1_000) with { NativeAmount = TestChain.StartBalance }).Reason);

        // Wanting an unknown asset escrows nothing, so it reaches the block and fails there.
        var unknown = Run(0, BuyExt(1_000) with { NativeAsset = "GOLD" });
        Assert.False(unknown.Success);
        Assert.Contains("unknown asset GOLD", unknown.Error);
        var past = Run(0, SellExt(_t.Chain.Head.Height + 1));
        Assert.False(past.Success);
        Assert.Contains("must be above the post's block height", past.Error);

        Assert.Equal(TestChain.StartBalance - 2 * Fee, _t.Balance(Alice));
        Assert.Empty(Queries.AllEscrow());
        Assert.Empty(Queries.Open(10).Offers);
        Assert.Empty(Queries.ByAccount(Alice, 10).Offers);
    }

    [Fact]
    public void Open_offers_page_in_post_order_and_filter_by_pair()
    {
        var ids = new List<byte[]>
        {
            Post(SellExt(Next + 50)).Id,
            Post(BuyExt(Next + 50)).Id,
            Post(SellExt(Next + 50) with { OutsideChain = "ethereum", OutsideAsset = Usdc, MakerOutsideKey = BobEthAddress }).Id,
            Post(BuyExt(Next + 50) with { OutsideChain = "bitcoin", OutsideAsset = "BTC", OutsideAmount = 5_000, MakerOutsideKey = AliceBtcKey }).Id,
        };

        var first = Queries.Open(3);
        Assert.Equal(ids.Take(3).Select(id => Hex.Encode(id)), first.Offers.Select(o => Hex.Encode(o.Id)));
        Assert.Equal(ids[2], first.Next);
        var second = Queries.Open(3, first.Next);
        Assert.Equal(Hex.Encode(ids[3]), Hex.Encode(Assert.Single(second.Offers).Id));
        Assert.Null(second.Next);

        Assert.Equal([Hex.Encode(ids[0]), Hex.Encode(ids[3])], Queries.OpenOfPair("EXT", "bitcoin", "BTC", 10).Offers.Select(o => Hex.Encode(o.Id)));
        Assert.Equal(Hex.Encode(ids[1]), Hex.Encode(Assert.Single(Queries.OpenOfPair("EXT", "ethereum", "ETH", 10).Offers).Id));
        Assert.Equal(Hex.Encode(ids[2]), Hex.Encode(Assert.Single(Queries.OpenOfPair("EXT", "ethereum", Usdc, 10).Offers).Id));
        Assert.Equal(Given * 2, Queries.Escrow(AssetSymbol.Native));
        Assert.Throws<ArgumentOutOfRangeException>(() => Queries.Open(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Queries.Open(SwapOfferQueries.MaxPageSize + 1));
    }

    [Fact]
    public void Offers_escrow_and_expiries_survive_a_restart()
    {
        var (open, postHeight) = Post(SellExt(Next + 4));
        var (taken, _) = Post(BuyExt(Next + 20));
        Assert.True(Run(1, new SwapOfferTakePayload(taken, BobEthAddress, HashLock)).Success);

        _t.Reopen();

        Assert.Equal(SwapOfferStatus.Open, Queries.Get(open)!.Status);
        Assert.Equal(Given, Queries.Escrow(AssetSymbol.Native));
        Assert.Equal(Bob, Queries.Get(taken)!.Terms()!.Initiator);
        EmptyBlocksUntil(postHeight + 4);
        Assert.Equal(SwapOfferStatus.Expired, Queries.Get(open)!.Status);
        Assert.Equal(TestChain.StartBalance - 2 * Fee, _t.Balance(Alice));
    }
    [Fact]
    public void Supply_is_conserved_with_offer_escrow_and_htlc_escrow_counted()
    {
        const string gold = "GOLD";
        const ulong supply = 1_000_000;
        Assert.True(Run(0, new IssueAssetPayload(gold, 2, supply)).Success);
        var accounts = new[] { Alice, Bob, Carol, TestChain.Key(3).Address };
        UInt128 Held() => accounts.Aggregate(UInt128.Zero, (sum, a) => sum + _t.Balance(a, gold)) + Queries.Escrow(gold) + Htlcs.Locked(gold);
        Assert.True(Run(0, new TransferPayload(Bob, gold, 400_000)).Success);

        var (taken, _) = Post(SellExt(Next + 50) with { NativeAsset = gold, NativeAmount = 100_000 });
        var (cancelled, _) = Post(SellExt(Next + 50) with { NativeAsset = gold, NativeAmount = 200_000 });
        var (expiring, postHeight) = Post(SellExt(Next + 6) with { NativeAsset = gold, NativeAmount = 50_000 });
        var (bought, _) = Post(BuyExt(Next + 50) with { NativeAsset = gold, NativeAmount = 300_000 });
        Assert.Equal((UInt128)350_000, Queries.Escrow(gold));
        Assert.Equal((UInt128)supply, Held());

        Assert.True(Run(1, new SwapOfferTakePayload(taken, BobBtcKey, [])).Success);
        Assert.True(Run(1, new SwapOfferTakePayload(bought, BobEthAddress, HashLock)).Success);
        Assert.True(Run(0, new SwapOfferCancelPayload(cancelled)).Success);
        EmptyBlocksUntil(postHeight + 6);
        Assert.Equal(SwapOfferStatus.Expired, Queries.Get(expiring)!.Status);

        Assert.Equal(UInt128.Zero, Queries.Escrow(gold));
        Assert.Equal((UInt128)400_000, Htlcs.Locked(gold));
        Assert.Equal((UInt128)supply, Held());
        Assert.Equal((UInt128)supply, State.AccountState.ReadAsset(_t.Chain.State, gold)!.Supply);
        Assert.Equal((UInt128)(600_000 - 100_000), _t.Balance(Alice, gold));
        Assert.Equal((UInt128)(400_000 - 300_000), _t.Balance(Bob, gold));
    }
}
