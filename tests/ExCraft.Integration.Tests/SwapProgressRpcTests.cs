using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static ExCraft.Integration.Tests.WebSocketRpc;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Integration.Tests;

/// <summary>
/// The swapProgress stream on a real dev node over WebSocket: a snapshot of one offer and its native
/// HTLC, then every change in order with its height and sequence number (take and lock, the claim
/// with its preimage, a refund after the timeout, a cancel), and a bad offer id refused.
/// </summary>
public sealed class SwapProgressRpcTests : NodeTest
{
    private readonly WebSocketRpc _socket = new();

    private static readonly Address Alice = Wallet.Dev(0).Address;
    private static readonly Address Bob = Wallet.Dev(1).Address;
    private static readonly UInt128 DevStart = Amount.FromWhole(1_000_000);
    private static readonly UInt128 Given = Amount.Parse("25.5");
    private static readonly byte[] AliceBtcKey = Wallet.Dev(0).PublicKey.Compressed;
    private static readonly byte[] BobBtcKey = Wallet.Dev(1).PublicKey.Compressed;
    private static readonly byte[] Secret = Enumerable.Range(40, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] HashLock = SHA256.HashData(Secret);

    private async Task<ulong> HeightAsync() => (await Rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>();

    private async Task<JsonNode> SendAndWaitAsync(string raw)
    {
        var hash = (await Rpc.CallAsync("ext_sendRawTransaction", raw))!.GetValue<string>();
        var receipt = await Rpc.WaitForReceiptAsync(hash);
        Assert.Equal("success", receipt["status"]!.GetValue<string>());
        return receipt;
    }

    private static SwapOfferPostPayload SellExt(ulong expiryHeight, ulong lockBlocks) =>
        new(SwapOfferSide.MakerGivesNative, "EXT", Given, SwapOfferRules.Bitcoin, SwapOfferRules.Btc, 100_000, AliceBtcKey, HashLock, lockBlocks, 3_600, expiryHeight);

    [Fact]
    public async Task Snapshot_then_take_lock_and_claim_with_the_preimage_in_order()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{Node.Port}/ws"), timeout.Token);
        var posted = await SendAndWaitAsync(Wallet.Sign(0, SellExt(await HeightAsync() + 10_000, 600), 0));
        var id = Hex.Encode(SwapOfferRules.IdOf(Alice, 0));

        var progress = await SubscribeAsync(ws, 1, new JsonArray("swapProgress", id), timeout.Token);
        var snapshot = await _socket.NotificationAsync(ws, progress, timeout.Token);
        Assert.Equal(("snapshot", 0UL, id), (snapshot["type"]!.GetValue<string>(), snapshot["sequence"]!.GetValue<ulong>(), snapshot["offerId"]!.GetValue<string>()));
        Assert.True(snapshot["height"]!.GetValue<ulong>() >= posted["blockHeight"]!.GetValue<ulong>());
        Assert.Equal(("open", Given.ToString()), (snapshot["offer"]!["status"]!.GetValue<string>(), snapshot["offer"]!["nativeAmount"]!.GetValue<string>()));
        Assert.Null(snapshot["htlc"]);

        // The supply view counts the open offer's 25.5 EXT as offer escrow, not circulating.
        await AssertSupplyAsync(offerEscrow: Given, htlcEscrow: 0);

        // Bob takes: the offer is taken and Alice's native HTLC to Bob is locked in the same block, in that order.
        var taken = await SendAndWaitAsync(Wallet.Sign(1, new SwapOfferTakePayload(SwapOfferRules.IdOf(Alice, 0), BobBtcKey, []), 0));
        var takeHeight = taken["blockHeight"]!.GetValue<ulong>();
        var take = await _socket.NotificationAsync(ws, progress, timeout.Token);
        Assert.Equal(("change", 1UL, "swap_offer_taken", takeHeight), (take["type"]!.GetValue<string>(), take["sequence"]!.GetValue<ulong>(),
            take["event"]!.GetValue<string>(), take["height"]!.GetValue<ulong>()));
        Assert.Equal(taken["transactionHash"]!.GetValue<string>(), take["transactionHash"]!.GetValue<string>());
        Assert.Equal(("taken", Bob.ToString()), (take["offer"]!["status"]!.GetValue<string>(), take["offer"]!["taker"]!.GetValue<string>()));
        var locked = await _socket.NotificationAsync(ws, progress, timeout.Token);
        Assert.Equal((2UL, "htlc_locked", takeHeight), (locked["sequence"]!.GetValue<ulong>(), locked["event"]!.GetValue<string>(), locked["height"]!.GetValue<ulong>()));
        Assert.Equal(("locked", Given.ToString(), Alice.ToString(), Bob.ToString(), takeHeight + 600), (locked["htlc"]!["status"]!.GetValue<string>(),
            locked["htlc"]!["amount"]!.GetValue<string>(), locked["htlc"]!["sender"]!.GetValue<string>(), locked["htlc"]!["recipient"]!.GetValue<string>(),
            locked["htlc"]!["timeoutHeight"]!.GetValue<ulong>()));

        await AssertSupplyAsync(offerEscrow: 0, htlcEscrow: Given);

        // One call finds the HTLC by its hash lock (what the swap engine's ExCraft leg adopts).
        Assert.Equal(id, Assert.Single((await Rpc.CallAsync("htlc_getByHashLock", Hex.Encode(HashLock)))!.AsArray())!["id"]!.GetValue<string>());

        // Bob claims with the secret: the stream carries the preimage, and the amounts are exact.
        var claimed = await SendAndWaitAsync(Wallet.Sign(1, new HtlcClaimPayload(SwapOfferRules.IdOf(Alice, 0), Secret), 1));
        var claim = await _socket.NotificationAsync(ws, progress, timeout.Token);
        Assert.Equal((3UL, "htlc_claimed", claimed["blockHeight"]!.GetValue<ulong>()), (claim["sequence"]!.GetValue<ulong>(), claim["event"]!.GetValue<string>(),
            claim["height"]!.GetValue<ulong>()));
        Assert.Equal(Hex.Encode(Secret), claim["preimage"]!.GetValue<string>());
        Assert.Equal(("claimed", Hex.Encode(Secret)), (claim["htlc"]!["status"]!.GetValue<string>(), claim["htlc"]!["preimage"]!.GetValue<string>()));
        Assert.Equal((DevStart + Given - 2 * Wallet.Fee).ToString(), await Rpc.BalanceAsync(Bob.ToString()));
        Assert.Equal((DevStart - Given - Wallet.Fee).ToString(), await Rpc.BalanceAsync(Alice.ToString()));
    }

    private async Task AssertSupplyAsync(UInt128 offerEscrow, UInt128 htlcEscrow)
    {
        var supply = (await Rpc.CallAsync("emission_getSupply"))!;
        UInt128 Units(string name) => UInt128.Parse(supply[name]!.GetValue<string>());
        Assert.Equal((offerEscrow, htlcEscrow), (Units("swapOfferEscrow"), Units("htlcEscrow")));
        Assert.Equal(Units("supply") - Units("bonded") - Units("unbonding") - Units("htlcEscrow") - Units("swapOfferEscrow") - Units("poolStakes"), Units("circulating"));
    }

    [Fact]
    public async Task A_timed_out_native_htlc_is_refunded_and_a_cancel_is_streamed()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(80));
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{Node.Port}/ws"), timeout.Token);
        // The native HTLC times out 150 blocks (about 15 s) after the take.
        await SendAndWaitAsync(Wallet.Sign(0, SellExt(await HeightAsync() + 10_000, 150), 0));
        var id = Hex.Encode(SwapOfferRules.IdOf(Alice, 0));
        var progress = await SubscribeAsync(ws, 1, new JsonArray("swapProgress", id), timeout.Token);
        Assert.Equal("snapshot", (await _socket.NotificationAsync(ws, progress, timeout.Token))["type"]!.GetValue<string>());

        await SendAndWaitAsync(Wallet.Sign(1, new SwapOfferTakePayload(SwapOfferRules.IdOf(Alice, 0), BobBtcKey, []), 0));
        Assert.Equal("swap_offer_taken", (await _socket.NotificationAsync(ws, progress, timeout.Token))["event"]!.GetValue<string>());
        Assert.Equal("htlc_locked", (await _socket.NotificationAsync(ws, progress, timeout.Token))["event"]!.GetValue<string>());

        await Until.TrueAsync(async () => (await Rpc.CallAsync("htlc_get", id))!["timedOut"]!.GetValue<bool>(), TimeSpan.FromSeconds(60),
            "the offer's native HTLC reaches its timeout height");
        var refunded = await SendAndWaitAsync(Wallet.Sign(0, new HtlcRefundPayload(SwapOfferRules.IdOf(Alice, 0)), 1));
        var refund = await _socket.NotificationAsync(ws, progress, timeout.Token);
        Assert.Equal((3UL, "htlc_refunded", refunded["blockHeight"]!.GetValue<ulong>()), (refund["sequence"]!.GetValue<ulong>(), refund["event"]!.GetValue<string>(),
            refund["height"]!.GetValue<ulong>()));
        Assert.Equal("refunded", refund["htlc"]!["status"]!.GetValue<string>());
        Assert.Null(refund["preimage"]);
        Assert.Equal((DevStart - 2 * Wallet.Fee).ToString(), await Rpc.BalanceAsync(Alice.ToString()));
        Assert.Equal((DevStart - Wallet.Fee).ToString(), await Rpc.BalanceAsync(Bob.ToString()));

        // A second offer, followed on the same connection, is cancelled: its own stream starts again at sequence 0.
        await SendAndWaitAsync(Wallet.Sign(0, SellExt(await HeightAsync() + 10_000, 600), 2));
        var second = Hex.Encode(SwapOfferRules.IdOf(Alice, 2));
        var secondProgress = await SubscribeAsync(ws, 2, new JsonArray("swapProgress", second), timeout.Token);
        Assert.Equal(0UL, (await _socket.NotificationAsync(ws, secondProgress, timeout.Token))["sequence"]!.GetValue<ulong>());
        var cancelled = await SendAndWaitAsync(Wallet.Sign(0, new SwapOfferCancelPayload(SwapOfferRules.IdOf(Alice, 2)), 3));
        var cancel = await _socket.NotificationAsync(ws, secondProgress, timeout.Token);
        Assert.Equal((1UL, "swap_offer_cancelled", cancelled["blockHeight"]!.GetValue<ulong>(), "cancelled"), (cancel["sequence"]!.GetValue<ulong>(),
            cancel["event"]!.GetValue<string>(), cancel["height"]!.GetValue<ulong>(), cancel["offer"]!["status"]!.GetValue<string>()));
        Assert.Null(cancel["htlc"]);
        Assert.Equal((DevStart - 4 * Wallet.Fee).ToString(), await Rpc.BalanceAsync(Alice.ToString()));

        // Bad offer ids: unknown, and not 32 bytes.
        foreach (var (requestId, bad, message) in new[] { (3, Hex.Encode(SwapOfferRules.IdOf(Bob, 9)), "no swap offer"), (4, "0x12", "must be 32 bytes") })
        {
            await Send(ws, new JsonObject { ["jsonrpc"] = "2.0", ["id"] = requestId, ["method"] = "ext_subscribe", ["params"] = new JsonArray("swapProgress", bad) }, timeout.Token);
            var refused = await ReceiveUntil(ws, m => m["id"]?.GetValue<int>() == requestId, timeout.Token);
            Assert.Equal(-32602, refused["error"]!["code"]!.GetValue<int>());
            Assert.Contains(message, refused["error"]!["message"]!.GetValue<string>());
        }
    }
}
