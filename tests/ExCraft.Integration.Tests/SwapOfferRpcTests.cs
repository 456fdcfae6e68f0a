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
/// Swap offers on a real dev node over JSON-RPC and WebSocket: post (escrow), read back and list,
/// take (the initiator's native HTLC and the terms), cancel, expire, and the swapOffers stream of
/// every change; bad input refused with an error and nothing changed.
/// </summary>
public sealed class SwapOfferRpcTests : NodeTest
{
    private readonly WebSocketRpc _socket = new();

    private static readonly Address Alice = Wallet.Dev(0).Address;
    private static readonly Address Bob = Wallet.Dev(1).Address;
    private static readonly UInt128 DevStart = Amount.FromWhole(1_000_000);
    private static readonly UInt128 Given = Amount.FromWhole(25);
    private static readonly byte[] AliceBtcKey = Wallet.Dev(0).PublicKey.Compressed;
    private static readonly byte[] BobBtcKey = Wallet.Dev(1).PublicKey.Compressed;
    private static readonly byte[] HashLock = SHA256.HashData(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    private async Task<ulong> HeightAsync() => (await Rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>();

    private async Task<JsonNode> SendAndWaitAsync(string raw)
    {
        var hash = (await Rpc.CallAsync("ext_sendRawTransaction", raw))!.GetValue<string>();
        var receipt = await Rpc.WaitForReceiptAsync(hash);
        return receipt;
    }

    private static SwapOfferPostPayload SellExt(ulong expiryHeight) =>
        new(SwapOfferSide.MakerGivesNative, "EXT", Given, SwapOfferRules.Bitcoin, SwapOfferRules.Btc, 100_000, AliceBtcKey, HashLock, 600, 3_600, expiryHeight);

    [Fact]
    public async Task Offers_are_posted_listed_taken_cancelled_and_expired_and_streamed()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(75));
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{Node.Port}/ws"), timeout.Token);
        var all = await SubscribeAsync(ws, 1, new JsonArray("swapOffers"), timeout.Token);

        // Post: Alice gives 25 EXT for 0.001 BTC; the 25 EXT leave her balance into the module's escrow.
        var posted = await SendAndWaitAsync(Wallet.Sign(0, SellExt(await HeightAsync() + 10_000), 0));
        Assert.Equal("success", posted["status"]!.GetValue<string>());
        var id = Hex.Encode(SwapOfferRules.IdOf(Alice, 0));
        Assert.Equal((DevStart - Given - Wallet.Fee).ToString(), await Rpc.BalanceAsync(Alice.ToString()));
        Assert.Equal(Given.ToString(), Assert.Single((await Rpc.CallAsync("swapoffers_getEscrow"))!.AsArray())!["amount"]!.GetValue<string>());
        var offer = (await Rpc.CallAsync("swapoffers_get", id))!;
        Assert.Equal(("open", "native", Alice.ToString()), (offer["status"]!.GetValue<string>(), offer["makerGives"]!.GetValue<string>(), offer["maker"]!.GetValue<string>()));
        Assert.Equal((Given.ToString(), "100000", Hex.Encode(HashLock)), (offer["nativeAmount"]!.GetValue<string>(), offer["outsideAmount"]!.GetValue<string>(), offer["hashLock"]!.GetValue<string>()));
        Assert.Null(offer["terms"]);
        Assert.Equal(id, Assert.Single((await Rpc.CallAsync("swapoffers_listOpen"))!["offers"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal(id, Assert.Single((await Rpc.CallAsync("swapoffers_listByPair", "EXT", "bitcoin", "BTC", 10))!["offers"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Empty((await Rpc.CallAsync("swapoffers_listByPair", "EXT", "ethereum", "ETH"))!["offers"]!.AsArray());
        Assert.Equal(id, Assert.Single((await Rpc.CallAsync("swapoffers_listByAccount", Alice.ToString()))!["offers"]!.AsArray())!["id"]!.GetValue<string>());

        var note = await _socket.NotificationAsync(ws, all, timeout.Token);
        Assert.Equal(("swap_offer_posted", posted["transactionHash"]!.GetValue<string>()), (note["event"]!.GetValue<string>(), note["transactionHash"]!.GetValue<string>()));
        Assert.Equal(id, note["offer"]!["id"]!.GetValue<string>());

        // One offer's own stream, then Bob takes it: the native side is Alice's HTLC to Bob at once.
        var one = await SubscribeAsync(ws, 2, new JsonArray("swapOffers", id), timeout.Token);
        var taken = await SendAndWaitAsync(Wallet.Sign(1, new SwapOfferTakePayload(SwapOfferRules.IdOf(Alice, 0), BobBtcKey, []), 0));
        Assert.Equal("success", taken["status"]!.GetValue<string>());
        var takeHeight = taken["blockHeight"]!.GetValue<ulong>();
        Assert.Empty((await Rpc.CallAsync("swapoffers_getEscrow"))!.AsArray());
        Assert.Equal(Given.ToString(), Assert.Single((await Rpc.CallAsync("htlc_getLocked"))!.AsArray())!["amount"]!.GetValue<string>());
        var htlc = (await Rpc.CallAsync("htlc_get", id))!;
        Assert.Equal((Alice.ToString(), Bob.ToString(), "locked", takeHeight + 600), (htlc["sender"]!.GetValue<string>(), htlc["recipient"]!.GetValue<string>(),
            htlc["status"]!.GetValue<string>(), htlc["timeoutHeight"]!.GetValue<ulong>()));
        var terms = (await Rpc.CallAsync("swapoffers_get", id))!["terms"]!;
        Assert.Equal((Alice.ToString(), Bob.ToString(), id), (terms["initiator"]!.GetValue<string>(), terms["participant"]!.GetValue<string>(), terms["nativeHtlcId"]!.GetValue<string>()));
        Assert.Equal((Hex.Encode(AliceBtcKey), Hex.Encode(BobBtcKey), 3_600UL), (terms["outsideClaimKey"]!.GetValue<string>(), terms["outsideRefundKey"]!.GetValue<string>(),
            terms["outsideLockSeconds"]!.GetValue<ulong>()));
        Assert.Empty((await Rpc.CallAsync("swapoffers_listOpen"))!["offers"]!.AsArray());

        foreach (var subscription in new[] { all, one })
        {
            note = await _socket.NotificationAsync(ws, subscription, timeout.Token);
            Assert.Equal("swap_offer_taken", note["event"]!.GetValue<string>());
            Assert.Equal(("taken", Bob.ToString()), (note["offer"]!["status"]!.GetValue<string>(), note["offer"]!["taker"]!.GetValue<string>()));
            Assert.Equal(id, note["offer"]!["terms"]!["nativeHtlcId"]!.GetValue<string>());
        }

        // A second take and a cancel after the take fail in their blocks and move nothing but the fee.
        var again = await SendAndWaitAsync(Wallet.Sign(2, new SwapOfferTakePayload(SwapOfferRules.IdOf(Alice, 0), BobBtcKey, []), 0));
        Assert.Equal("failed", again["status"]!.GetValue<string>());
        Assert.Contains("is already taken", again["error"]!.GetValue<string>());
        Assert.Equal((DevStart - Wallet.Fee).ToString(), await Rpc.BalanceAsync(Wallet.Dev(2).Address.ToString()));

        // Alice posts again and cancels: the escrow comes back.
        var second = Hex.Encode(SwapOfferRules.IdOf(Alice, 1));
        Assert.Equal("success", (await SendAndWaitAsync(Wallet.Sign(0, SellExt(await HeightAsync() + 10_000), 1)))["status"]!.GetValue<string>());
        Assert.Equal("swap_offer_posted", (await _socket.NotificationAsync(ws, all, timeout.Token))["event"]!.GetValue<string>());
        Assert.Equal("success", (await SendAndWaitAsync(Wallet.Sign(0, new SwapOfferCancelPayload(SwapOfferRules.IdOf(Alice, 1)), 2)))["status"]!.GetValue<string>());
        note = await _socket.NotificationAsync(ws, all, timeout.Token);
        Assert.Equal(("swap_offer_cancelled", second, "cancelled"), (note["event"]!.GetValue<string>(), note["offer"]!["id"]!.GetValue<string>(), note["offer"]!["status"]!.GetValue<string>()));
        Assert.Equal((DevStart - Given - 3 * Wallet.Fee).ToString(), await Rpc.BalanceAsync(Alice.ToString()));

        // A third offer expires 40 blocks (about 4 s) after it is posted: the stream reports it, with no transaction.
        var third = Hex.Encode(SwapOfferRules.IdOf(Alice, 3));
        var expiring = await SendAndWaitAsync(Wallet.Sign(0, SellExt(await HeightAsync() + 40), 3));
        Assert.Equal("success", expiring["status"]!.GetValue<string>());
        var expiryHeight = (await Rpc.CallAsync("swapoffers_get", third))!["expiryHeight"]!.GetValue<ulong>();
        Assert.Equal("swap_offer_posted", (await _socket.NotificationAsync(ws, all, timeout.Token))["event"]!.GetValue<string>());
        note = await _socket.NotificationAsync(ws, all, timeout.Token);
        Assert.Equal(("swap_offer_expired", third, expiryHeight), (note["event"]!.GetValue<string>(), note["offer"]!["id"]!.GetValue<string>(), note["height"]!.GetValue<ulong>()));
        Assert.Null(note["transactionHash"]);
        Assert.Equal("expired", (await Rpc.CallAsync("swapoffers_get", third))!["status"]!.GetValue<string>());
        Assert.Equal((DevStart - Given - 4 * Wallet.Fee).ToString(), await Rpc.BalanceAsync(Alice.ToString()));
        Assert.Empty((await Rpc.CallAsync("swapoffers_getEscrow"))!.AsArray());
        Assert.Equal(3, (await Rpc.CallAsync("swapoffers_listByAccount", Alice.ToString()))!["offers"]!.AsArray().Count);
    }

    [Fact]
    public async Task Bad_offers_and_bad_parameters_are_refused_and_change_nothing()
    {
        // Stateless refusals never reach the mempool (-32010), so the nonce stays unused.
        foreach (var (payload, error) in new (TxPayload, string)[]
        {
            (SellExt(1_000) with { NativeAmount = 0 }, "native amount must be greater than zero"),
            (SellExt(1_000) with { OutsideAmount = 0 }, "outside amount must be greater than zero"),
            (SellExt(1_000) with { MakerOutsideKey = new byte[20] }, "bitcoin key must be a 33-byte compressed public key"),
            (SellExt(1_000) with { OutsideChain = "ethereum", OutsideAsset = "0x1234" }, "ERC20 contract address"),
            (new SwapOfferTakePayload(SwapOfferRules.IdOf(Alice, 0), [], []), "outside key or address is missing"),
        })
        {
            var refused = await Rpc.CallRawAsync("ext_sendRawTransaction", Wallet.Sign(0, payload, 0));
            Assert.Equal(-32010, refused["error"]!["code"]!.GetValue<int>());
            Assert.Contains(error, refused["error"]!["message"]!.GetValue<string>());
        }
        Assert.Equal(DevStart.ToString(), await Rpc.BalanceAsync(Alice.ToString()));
        Assert.Equal(0UL, (await Rpc.CallAsync("ext_getNonce", Alice.ToString(), "pending"))!.GetValue<ulong>());

        // An unknown asset to escrow is refused by the mempool.
        var unknown = await Rpc.CallRawAsync("ext_sendRawTransaction", Wallet.Sign(0, SellExt(1_000) with { NativeAsset = "NOPE" }, 0));
        Assert.Contains("unknown asset NOPE", unknown["error"]!["message"]!.GetValue<string>());

        foreach (var (method, parameters) in new (string, object?[])[]
        {
            ("swapoffers_get", ["0x1234"]),
            ("swapoffers_listOpen", [101]),
            ("swapoffers_listOpen", [10, "0x12"]),
            ("swapoffers_listByPair", ["EXT", "dogecoin", "DOGE"]),
            ("swapoffers_listByPair", ["ext", "bitcoin", "BTC"]),
            ("swapoffers_listByAccount", ["ext1nothing"]),
        })
        {
            var bad = await Rpc.CallRawAsync(method, parameters);
            Assert.Equal(-32602, bad["error"]!["code"]!.GetValue<int>());
        }
        Assert.Null(await Rpc.CallAsync("swapoffers_get", Hex.Encode(SwapOfferRules.IdOf(Alice, 0))));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{Node.Port}/ws"), timeout.Token);
        await Send(ws, new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "ext_subscribe", ["params"] = new JsonArray("swapOffers", "0x12") }, timeout.Token);
        var refusedSubscription = await ReceiveUntil(ws, m => m["id"]?.GetValue<int>() == 1, timeout.Token);
        Assert.Equal(-32602, refusedSubscription["error"]!["code"]!.GetValue<int>());
    }
}
