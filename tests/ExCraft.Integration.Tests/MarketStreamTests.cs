using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using ExCraft.Rpc.MarketData;
using static ExCraft.Integration.Tests.MarketTrading;

namespace ExCraft.Integration.Tests;

/// <summary>
/// The market streams over WebSocket on a real dev node: a client rebuilds the book from the
/// snapshot and deltas (sequence and checksum checked at every step) and gets market_book at the
/// same sequence; a skipped delta is detectable; trades, an account's order updates (with reject
/// reasons) and balance changes arrive; a client that does not read is dropped with a resync
/// notice while the node keeps committing.
/// </summary>
public sealed class MarketStreamTests : NodeTest
{
    private static readonly Address Bob = Wallet.Dev(1).Address;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_book_stream_rebuilds_market_book_and_the_other_streams_report_trades_orders_and_balances()
    {
        await using var client = await StreamClient.ConnectAsync(Node.Port);
        var bookId = (await client.CallAsync("market_subscribe", "book", Market)).GetValue<string>();
        var tradesId = (await client.CallAsync("market_subscribe", "trades", Market)).GetValue<string>();
        var ordersId = (await client.CallAsync("market_subscribe", "orders", Bob.ToString())).GetValue<string>();
        var balancesId = (await client.CallAsync("market_subscribe", "balances", Bob.ToString())).GetValue<string>();
        var candlesId = (await client.CallAsync("market_subscribe", "candles", Market, "1m")).GetValue<string>();

        await SendOkAsync(Rpc, 0, Limit(false, 2 * Ext, 5 * Ore), 0);  // order 1
        await SendOkAsync(Rpc, 0, Limit(false, 3 * Ext, 5 * Ore), 1);  // order 2
        await SendOkAsync(Rpc, 0, Limit(false, 4 * Ext, 5 * Ore), 2);  // order 3
        await SendOkAsync(Rpc, 0, Limit(true, 1 * Ext, 2 * Ore), 3);   // order 4: a bid
        await SendOkAsync(Rpc, 1, Limit(true, 3 * Ext, 7 * Ore), 0);   // order 5: takes 5 at 2 and 2 at 3
        await SendOkAsync(Rpc, 1, PostOnly(true, 4 * Ext, 1 * Ore), 1); // crosses: rejected at matching
        var failed = await SendAsync(Rpc, 1, Limit(true, 2 * Ext + 1, 1 * Ore), 2); // off tick: the transaction fails
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        await SendOkAsync(Rpc, 0, new CancelOrderPayload("ORE", "EXT", 3, 0), 4);

        // The book: snapshot first (after the subscribe response), then contiguous deltas up to market_book's sequence.
        var book = (await Rpc.CallAsync("market_book", Market, 5000))!;
        var target = book["sequence"]!.GetValue<ulong>();
        await client.WaitForAsync(m => m["params"]?["subscription"]?.GetValue<string>() == bookId && m["params"]!["result"]!["sequence"]!.GetValue<ulong>() == target, Wait, $"book delta {target}");
        var stream = client.Of(bookId);
        Assert.Equal("snapshot", stream[0]["type"]!.GetValue<string>());
        var rebuilt = new MarketBook(Market, stream[0]["sequence"]!.GetValue<ulong>(), 0, Levels(stream[0]["bids"]!), Levels(stream[0]["asks"]!));
        Assert.Equal(stream[0]["checksum"]!.GetValue<uint>(), rebuilt.Checksum);
        var deltas = stream.Skip(1).ToList();
        Assert.NotEmpty(deltas);
        foreach (var delta in deltas)
        {
            Assert.Equal("delta", delta["type"]!.GetValue<string>());
            Assert.Equal(rebuilt.Sequence, delta["previousSequence"]!.GetValue<ulong>());
            Assert.Equal(rebuilt.Sequence + 1, delta["sequence"]!.GetValue<ulong>());
            rebuilt = rebuilt.Apply(delta["sequence"]!.GetValue<ulong>(), delta["height"]!.GetValue<ulong>(), Changes(delta));
            Assert.Equal(delta["checksum"]!.GetValue<uint>(), rebuilt.Checksum);
        }
        Assert.Equal(target, rebuilt.Sequence);
        Assert.Equal(Levels(book["bids"]!), rebuilt.Bids);
        Assert.Equal(Levels(book["asks"]!), rebuilt.Asks);
        Assert.Equal(book["checksum"]!.GetValue<uint>(), rebuilt.Checksum);
        Assert.Equal([new DepthLevel(1 * Ext, 2 * Ore, 1)], rebuilt.Bids);
        Assert.Equal([new DepthLevel(3 * Ext, 3 * Ore, 1)], rebuilt.Asks);

        // A client that missed a delta sees it: the next one's previousSequence is not its sequence, and its checksum no longer matches.
        var missed = deltas.FindIndex(d => d["bids"]!.AsArray().Count > 0);
        Assert.True(missed >= 0 && missed < deltas.Count - 1, "a delta that adds the bid, followed by another");
        var gapped = new MarketBook(Market, stream[0]["sequence"]!.GetValue<ulong>(), 0, Levels(stream[0]["bids"]!), Levels(stream[0]["asks"]!));
        var gapSeen = false;
        var checksumMismatch = false;
        foreach (var delta in deltas.Where((_, i) => i != missed))
        {
            gapSeen |= delta["previousSequence"]!.GetValue<ulong>() != gapped.Sequence;
            gapped = gapped.Apply(delta["sequence"]!.GetValue<ulong>(), 0, Changes(delta));
            checksumMismatch |= delta["checksum"]!.GetValue<uint>() != gapped.Checksum;
        }
        Assert.True(gapSeen);
        Assert.True(checksumMismatch);

        // Trades: both fills, as market_trades has them.
        await Until.TrueAsync(() => Task.FromResult(client.Of(tradesId).Sum(m => m["trades"]!.AsArray().Count) == 2), Wait, "two trades on the trades stream");
        var streamed = client.Of(tradesId).SelectMany(m => m["trades"]!.AsArray()).Select(t => (t!["id"]!.GetValue<ulong>(), t["price"]!.GetValue<string>(), t["baseAmount"]!.GetValue<string>()));
        var stored = (await Rpc.CallAsync("market_trades", Market))!.AsArray().Select(t => (t!["id"]!.GetValue<ulong>(), t["price"]!.GetValue<string>(), t["baseAmount"]!.GetValue<string>()));
        Assert.Equal(stored, streamed);
        Assert.Equal([(1ul, (2 * Ext).ToString(), (5 * Ore).ToString()), (2ul, (3 * Ext).ToString(), (2 * Ore).ToString())], streamed);

        // Bob's order updates: his order filled, the post-only rejected with its reason, the off-tick transaction failed with its reason.
        await Until.TrueAsync(() => Task.FromResult(client.Of(ordersId).Any(m => m["type"]!.GetValue<string>() == "transaction_failed")), Wait, "the failed transaction on the orders stream");
        var orders = client.Of(ordersId);
        Assert.Contains(orders, m => m["type"]!.GetValue<string>() == "order" && m["orderId"]!.GetValue<ulong>() == 5 && m["change"]!.GetValue<string>() == "filled");
        Assert.Contains(orders, m => m["type"]!.GetValue<string>() == "order" && m["change"]!.GetValue<string>() == "rejected" && m["reason"]!.GetValue<string>() == "post_only_would_cross");
        var txFailed = Assert.Single(orders, m => m["type"]!.GetValue<string>() == "transaction_failed");
        Assert.Equal(failed["transactionHash"]!.GetValue<string>(), txFailed["transactionHash"]!.GetValue<string>());
        Assert.Equal(failed["error"]!.GetValue<string>(), txFailed["reason"]!.GetValue<string>());
        Assert.Contains("off_tick", txFailed["reason"]!.GetValue<string>());
        Assert.All(orders.Where(m => m["type"]!.GetValue<string>() == "order"), m => Assert.Equal(Bob.ToString(), m["account"]!.GetValue<string>()));

        // Balances: a snapshot, then changes; the latest value of each asset is what ext_getBalance says now.
        var oreNow = await Rpc.BalanceAsync(Bob.ToString(), "ORE");
        var extNow = await Rpc.BalanceAsync(Bob.ToString());
        string? Latest(string asset) => client.Of(balancesId).SelectMany(m => m["balances"]!.AsArray()).LastOrDefault(b => b!["asset"]!.GetValue<string>() == asset)?["balance"]!.GetValue<string>();
        await Until.TrueAsync(() => Task.FromResult(Latest("ORE") == oreNow && Latest("EXT") == extNow), Wait, "Bob's balances on the stream", () => $"{Latest("ORE")} {Latest("EXT")} vs {oreNow} {extNow}");
        Assert.Equal("snapshot", client.Of(balancesId)[0]["type"]!.GetValue<string>());
        Assert.Equal((UInt128.Parse(Latest("ORE")!) - UInt128.Parse(client.Of(balancesId)[0]["balances"]!.AsArray().First(b => b!["asset"]!.GetValue<string>() == "ORE")!["balance"]!.GetValue<string>())).ToString(),
            (7 * Ore - 7 * Ore * 2 / 1000).ToString()); // 7 ORE bought, 0.2% taker fee in ORE

        // Candles: the latest 1m candle on the stream is the one market_candles has.
        var latestCandle = (await Rpc.CallAsync("market_candles", Market, "1m", null, null, 1))!.AsArray().Single()!;
        await Until.TrueAsync(() => Task.FromResult(client.Of(candlesId).LastOrDefault()?.ToJsonString() == latestCandle.ToJsonString()), Wait, "the latest candle on the stream");
    }

    private static List<DepthLevel> Levels(JsonNode levels) =>
        [.. levels.AsArray().Select(l => new DepthLevel(UInt128.Parse(l!["price"]!.GetValue<string>()), UInt128.Parse(l["size"]!.GetValue<string>()), l["orders"]!.GetValue<int>()))];

    private static List<LevelChange> Changes(JsonNode delta) =>
        [.. Levels(delta["bids"]!).Select(l => new LevelChange(Side.Buy, l.Price, l.Size, l.Orders)), .. Levels(delta["asks"]!).Select(l => new LevelChange(Side.Sell, l.Price, l.Size, l.Orders))];

    [Fact]
    public async Task A_subscriber_that_does_not_read_is_dropped_with_a_resync_notice_and_the_node_keeps_committing()
    {
        // A raw WebSocket client with a tiny receive buffer that subscribes to the most it may and then does not read.
        using var tcp = new TcpClient { ReceiveBufferSize = 1024 };
        await tcp.ConnectAsync("127.0.0.1", Node.Port);
        var net = tcp.GetStream();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await net.WriteAsync(Encoding.ASCII.GetBytes($"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{Node.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var head = await ReadHandshakeAsync(net);
        Assert.StartsWith("HTTP/1.1 101", head);
        for (var i = 0; i < 63; i++)
            await net.WriteAsync(ClientFrame(Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":{i},\"method\":\"ext_subscribe\",\"params\":[\"newHeads\"]}}")));
        await net.WriteAsync(ClientFrame(Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":63,\"method\":\"market_subscribe\",\"params\":[\"book\",\"{Market}\"]}}")));

        // 63 head notifications a block fill the 4,096-message queue after about 65 blocks plus what the
        // sockets' buffers hold; the node counts the drop, and the test reads nothing until then (the node
        // gives a dropped client 60 s to read). Blocks are committed all along. About 16 s on an idle
        // machine; the bound leaves room for a loaded CI box, where blocks come several times slower.
        var startHeight = (await Rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>();
        var receipt = await SendOkAsync(Rpc, 0, Limit(false, 2 * Ext, 1 * Ore), 0);
        Assert.True(receipt["blockHeight"]!.GetValue<ulong>() > startHeight);
        await Until.TrueAsync(async () => (await Rpc.CallAsync("market_streamStats"))!["dropped"]!.GetValue<long>() == 1, TimeSpan.FromSeconds(180), "the client dropped");
        Assert.True((await Rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>() > startHeight + 4096 / 63, "blocks committed while the client did not read");

        // Now read everything the node sent: the last notification is the resync notice, then the close (1008) or the end.
        // The tiny buffer that made the client stall would make this drain a round trip per kilobyte, which on a loaded
        // machine can outlast the node's 60 s drain limit; a large buffer from here on lets the node send in bulk.
        tcp.Client.ReceiveBufferSize = 1 << 20;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var texts = new List<string>();
        ushort? closeStatus = null;
        while (await ReadFrameAsync(net, timeout.Token) is { } frame)
        {
            if (frame.Opcode == 8)
            {
                closeStatus = frame.Payload.Length >= 2 ? (ushort)(frame.Payload[0] << 8 | frame.Payload[1]) : null;
                break;
            }
            if (frame.Opcode == 1) texts.Add(Encoding.UTF8.GetString(frame.Payload));
        }
        var last = JsonNode.Parse(texts[^1])!;
        Assert.True(last["params"] is not null, $"{texts.Count} messages, the last: {texts[^1]}");
        Assert.Equal("resync", last["params"]!["result"]!["type"]!.GetValue<string>());
        Assert.Single(texts, t => t.Contains("\"resync\""));
        Assert.True(texts.Count > 4000, $"{texts.Count} messages before the drop");
        Assert.True(closeStatus is null or 1008, $"close status {closeStatus}");
        // The node is still serving and committing.
        var after = (await Rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>();
        await Until.TrueAsync(async () => (await Rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>() > after, Wait, "a block after the drop");
    }

    private static async Task<string> ReadHandshakeAsync(NetworkStream net)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (bytes.Count < 4 || !(bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            if (await net.ReadAsync(one, timeout.Token) == 0) break;
            bytes.Add(one[0]);
        }
        return Encoding.ASCII.GetString([.. bytes]);
    }

    /// <summary>A masked text frame (clients must mask).</summary>
    private static byte[] ClientFrame(byte[] payload)
    {
        var frame = new List<byte> { 0x81 };
        if (payload.Length < 126) frame.Add((byte)(0x80 | payload.Length));
        else { frame.Add(0x80 | 126); frame.Add((byte)(payload.Length >> 8)); frame.Add((byte)payload.Length); }
        var mask = RandomNumberGenerator.GetBytes(4);
        frame.AddRange(mask);
        frame.AddRange(payload.Select((b, i) => (byte)(b ^ mask[i % 4])));
        return [.. frame];
    }

    /// <summary>One server frame (unmasked, unfragmented), or null at the end of the stream.</summary>
    private static async Task<(int Opcode, byte[] Payload)?> ReadFrameAsync(NetworkStream net, CancellationToken cancel)
    {
        var header = new byte[2];
        if (!await ReadExactlyOrEndAsync(net, header, cancel)) return null;
        long length = header[1] & 0x7F;
        if (length == 126)
        {
            var ext = new byte[2];
            if (!await ReadExactlyOrEndAsync(net, ext, cancel)) return null;
            length = ext[0] << 8 | ext[1];
        }
        else if (length == 127)
        {
            var ext = new byte[8];
            if (!await ReadExactlyOrEndAsync(net, ext, cancel)) return null;
            length = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(ext);
        }
        var payload = new byte[length];
        if (!await ReadExactlyOrEndAsync(net, payload, cancel)) return null;
        return (header[0] & 0x0F, payload);
    }

    private static async Task<bool> ReadExactlyOrEndAsync(NetworkStream net, byte[] buffer, CancellationToken cancel)
    {
        try
        {
            await net.ReadExactlyAsync(buffer, cancel);
            return true;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            return false;
        }
    }
}
