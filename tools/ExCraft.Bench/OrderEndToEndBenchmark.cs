using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Bench;

/// <summary>
/// Signed orders per second through the whole dev node, from the first RPC request until every
/// order is committed and filled, as a ratio to the transfer rate measured the same way on the same
/// node in the same run (issue 8's bar: 0.7x). Half the accounts sell and half buy the same size at
/// the same price on the genesis ORE/EXT market, so every order fills by the end and the book is
/// empty (checked). Under that load it also measures market_depth latency (a client calling at most 200 times a second
/// sequentially on its own connection) and the lag of newHeads notifications over WebSocket.
/// </summary>
public static class OrderEndToEndBenchmark
{
    private const ulong ChainId = 9545;
    private const string Market = "ORE/EXT";
    private const int OreDecimals = 6;
    private static readonly UInt128 Price = Amount.Parse("1"); // 1 EXT per ORE: on the 0.001 tick, and 1 ORE is the 1 EXT min notional
    internal static readonly UInt128 Size = Amount.Parse("1", OreDecimals);

    public static int Run(string[] args)
    {
        int accounts = 100, perAccount = 400, batchSize = 500, connections = 2, intervalMs = 250;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                Console.Error.WriteLine($"e2e-orders: {args[i]} needs a positive integer, got '{args[i + 1]}'");
                return 1;
            }
            switch (args[i])
            {
                case "--accounts": accounts = value; break;
                case "--per-account": perAccount = value; break;
                case "--batch": batchSize = value; break;
                case "--connections": connections = value; break;
                case "--block-interval-ms": intervalMs = value; break;
                default: Console.Error.WriteLine($"e2e-orders: unknown option {args[i]}"); return 1;
            }
        }
        if (accounts % 2 != 0 || accounts < 2)
        {
            Console.Error.WriteLine("e2e-orders: --accounts must be even (half sell, half buy)");
            return 1;
        }
        try
        {
            return RunAsync(accounts, perAccount, batchSize, connections, intervalMs).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or WebSocketException)
        {
            Console.Error.WriteLine($"e2e-orders failed: {e.Message}");
            if (EndToEndBenchmark.BenchNode.Current is { } node) Console.Error.WriteLine(node.LogTail());
            return 1;
        }
    }

    private static async Task<int> RunAsync(int accountCount, int perAccount, int batchSize, int connections, int intervalMs)
    {
        var total = accountCount * perAccount;
        Console.WriteLine($"e2e-orders: {total:N0} transfers, {total:N0} orders, {total:N0} orders, {total:N0} transfers (in that order) on {Market} ({accountCount / 2} sellers, {accountCount / 2} buyers), " +
                          $"from {accountCount} accounts, batches of {batchSize}, {connections} connection(s), block interval {intervalMs} ms, {Environment.ProcessorCount} CPU(s)");
        using var node = await EndToEndBenchmark.BenchNode.StartAsync(intervalMs);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };

        // Set-up (not timed): 1 EXT per order and a margin for fees to every account (a buyer locks 1 EXT per order),
        // 1 ORE per order to every seller (the warm-up's and two order phases).
        var senders = LoadGenerator.Senders(accountCount);
        var warm = Math.Max(1, perAccount / 2);
        await LoadGenerator.FundAsync(http, node.Url, ChainId, senders, wholeExt: (ulong)(perAccount * 2 + warm) + 1_000);
        var sellers = senders.Where((_, i) => IsSeller(i)).ToArray();
        await FundOreAsync(http, node.Url, sellers, Size * (UInt128)(perAccount * 2 + warm));
        var signing = Stopwatch.StartNew();
        var (w, n) = ((ulong)warm, (ulong)perAccount);
        var warmTransfers = LoadGenerator.SignTransfers(ChainId, senders, warm, firstNonce: 0);
        var warmOrders = SignOrders(senders, warm, firstNonce: w);
        var transfers1 = LoadGenerator.SignTransfers(ChainId, senders, perAccount, firstNonce: 2 * w);
        var orders1 = SignOrders(senders, perAccount, firstNonce: 2 * w + n);
        var orders2 = SignOrders(senders, perAccount, firstNonce: 2 * w + 2 * n);
        var transfers2 = LoadGenerator.SignTransfers(ChainId, senders, perAccount, firstNonce: 2 * w + 3 * n);
        Console.WriteLine($"signed {4 * total + 2 * warm * accountCount:N0} transactions client-side in {signing.Elapsed.TotalSeconds:F2} s (not part of the measurement)");

        // The streams a trader's client holds (newHeads, the market's trades and book) are open
        // through the warm-up and all four timed phases, so every phase carries the same
        // subscribers (a transfer block has no trades and no book change to send), and the stream
        // code is warm before the first timed phase; before, they opened with the first order
        // phase, which alone paid that (docs/BENCHMARKS.md round 7). Lags are read for the order blocks.
        await using var heads = await StreamListener.StartAsync(node.Url, "ext_subscribe", "newHeads");
        await using var tradeStream = await StreamListener.StartAsync(node.Url, "market_subscribe", "trades", Market);
        await using var bookStream = await StreamListener.StartAsync(node.Url, "market_subscribe", "book", Market);

        // Warm-up (not timed): half a phase of each kind, so every timed phase runs compiled,
        // tiered-up code on a heap the runtime has sized (the first phase of a fresh node was
        // about a third slower than the same phase later: measured, docs/BENCHMARKS.md round 6;
        // after a quarter phase the first timed phase was still about a sixth slower, round 7).
        await LoadGenerator.SendAndWaitAsync(http, node, warmTransfers, senders, batchSize, connections, expectedNonce: w);
        await LoadGenerator.SendAndWaitAsync(http, node, warmOrders, senders, batchSize, connections, expectedNonce: 2 * w);
        var n0 = 2 * w; // the timed phases' nonces start after the warm-up's

        // Four timed phases through the same pipeline: transfers, orders, orders, transfers. The
        // machine's speed drifts over a run (a shared 2-core host); in this A-B-B-A order a drift
        // that is steady over the run slows both kinds alike, so the ratio of the two sums does not see it.
        var idleDepth = await DepthLatenciesAsync(node.Url, TimeSpan.FromSeconds(2), CancellationToken.None);
        // The market_depth poller runs through every timed phase, so all carry the same side load.
        using var stopTransferPolling = new CancellationTokenSource();
        var depthDuringTransfers = DepthLatenciesAsync(node.Url, TimeSpan.FromMinutes(10), stopTransferPolling.Token);
        var transfer1 = await LoadGenerator.SendAndWaitAsync(http, node, transfers1, senders, batchSize, connections, expectedNonce: n0 + (ulong)perAccount);
        await stopTransferPolling.CancelAsync();
        var depthTransferLatencies = await depthDuringTransfers;
        var tradesBefore = await TradeCountAsync(http, node.Url);

        using var stopLoad = new CancellationTokenSource();
        var depthUnderLoad = DepthLatenciesAsync(node.Url, TimeSpan.FromMinutes(10), stopLoad.Token);
        var order1 = await LoadGenerator.SendAndWaitAsync(http, node, orders1, senders, batchSize, connections, expectedNonce: n0 + 2 * (ulong)perAccount);
        var order2 = await LoadGenerator.SendAndWaitAsync(http, node, orders2, senders, batchSize, connections, expectedNonce: n0 + 3 * (ulong)perAccount);
        await stopLoad.CancelAsync();
        var depthLatencies = await depthUnderLoad;

        // Every order filled: the book is empty and the trades moved exactly the ORE sold.
        var depth = await CallAsync(http, node.Url, "market_depth", Market, 5);
        var resting = depth["bids"]!.AsArray().Count + depth["asks"]!.AsArray().Count;
        var tradesAfter = await TradeCountAsync(http, node.Url);
        var volume = await VolumeAsync(http, node.Url, tradesBefore + 1, tradesAfter);
        var expectedVolume = Size * (UInt128)total; // half of each phase's orders sell 1 ORE, two phases

        using var stopLastPolling = new CancellationTokenSource();
        var depthDuringLastTransfers = DepthLatenciesAsync(node.Url, TimeSpan.FromMinutes(10), stopLastPolling.Token);
        var transfer2 = await LoadGenerator.SendAndWaitAsync(http, node, transfers2, senders, batchSize, connections, expectedNonce: n0 + 4 * (ulong)perAccount);
        await stopLastPolling.CancelAsync();
        depthTransferLatencies.AddRange(await depthDuringLastTransfers);
        var notifications = heads.Received().Concat(tradeStream.Received()).Concat(bookStream.Received()).ToList();

        var rejected = transfer1.Rejected + order1.Rejected + order2.Rejected + transfer2.Rejected;
        Console.WriteLine($"rejected: transfers {transfer1.Rejected + transfer2.Rejected}, orders {order1.Rejected + order2.Rejected}");
        Console.WriteLine($"transfers 1: all committed after {transfer1.Elapsed.TotalSeconds:F2} s: {transfer1.Rate:N0} tx/s");
        Console.WriteLine($"orders 1:    all committed after {order1.Elapsed.TotalSeconds:F2} s: {order1.Rate:N0} orders/s");
        Console.WriteLine($"orders 2:    all committed after {order2.Elapsed.TotalSeconds:F2} s: {order2.Rate:N0} orders/s");
        Console.WriteLine($"transfers 2: all committed after {transfer2.Elapsed.TotalSeconds:F2} s: {transfer2.Rate:N0} tx/s");
        Console.WriteLine($"orders: {tradesAfter - tradesBefore:N0} trades, {Amount.Format(volume, OreDecimals)} ORE traded (expected {Amount.Format(expectedVolume, OreDecimals)}), {resting} price level(s) left in the book");
        var transferBlocks = transfer1.Blocks.Concat(transfer2.Blocks).ToList();
        var orderBlocks = order1.Blocks.Concat(order2.Blocks).ToList();
        PrintBlocks("transfer blocks", transferBlocks);
        PrintBlocks("order blocks", orderBlocks);
        // Node CPU (RPC, signature recovery, mempool, production, commit, market data) per 1,000 transactions: what load on a shared machine distorts least.
        var transferCpu = (transfer1.NodeCpu + transfer2.NodeCpu).TotalMilliseconds * 1_000 / (2 * total);
        var orderCpu = (order1.NodeCpu + order2.NodeCpu).TotalMilliseconds * 1_000 / (2 * total);
        Console.WriteLine($"node CPU per 1,000 tx: transfers {transferCpu:F1} ms, orders {orderCpu:F1} ms, transfers / orders = {transferCpu / orderCpu:F2}x");
        Console.WriteLine($"node runtime per 1,000 transfers: {(transfer1.NodeRuntime + transfer2.NodeRuntime).Per1000(2 * total)}");
        Console.WriteLine($"node runtime per 1,000 orders:    {(order1.NodeRuntime + order2.NodeRuntime).Per1000(2 * total)}");
        Console.WriteLine($"orders / transfers by pair: first {order1.Rate / transfer1.Rate:F2}x, second {order2.Rate / transfer2.Rate:F2}x");
        var transferRate = 2 * total / (transfer1.Elapsed + transfer2.Elapsed).TotalSeconds;
        var orderRate = 2 * total / (order1.Elapsed + order2.Elapsed).TotalSeconds;
        Console.WriteLine($"orders / transfers = {orderRate / transferRate:F2}x (bar 0.7x; {orderRate:N0} orders/s against {transferRate:N0} transfers/s over both phases of each)");
        Console.WriteLine($"market_depth latency idle:       {Percentiles(idleDepth)}");
        Console.WriteLine($"market_depth latency during the transfer phases: {Percentiles(depthTransferLatencies)}");
        Console.WriteLine($"market_depth latency under load: {Percentiles(depthLatencies)}");
        PrintStreamLag(notifications, orderBlocks);
        return rejected == 0 && resting == 0 && volume == expectedVolume ? 0 : 2;
    }

    private static bool IsSeller(int account) => account % 2 == 0;

    /// <summary>perAccount good-till-cancel orders of 1 ORE at 1 EXT per account: sells from even accounts, buys from odd ones.</summary>
    internal static Transaction[,] SignOrders(PrivateKey[] senders, int perAccount, ulong firstNonce)
    {
        var transactions = new Transaction[senders.Length, perAccount];
        Parallel.For(0, senders.Length, a =>
        {
            var side = IsSeller(a) ? (byte)1 : (byte)0;
            for (var n = 0; n < perAccount; n++)
                transactions[a, n] = Transaction.Create(ChainId, firstNonce + (ulong)n, LoadGenerator.Fee,
                    new PlaceOrderPayload("ORE", "EXT", side, 0, 0, Price, Size, 0, 0, 0, 0), senders[a]);
        });
        return transactions;
    }

    /// <summary>Sends each seller its ORE from the dev accounts that hold ORE in genesis (0 to 3) and waits for it.</summary>
    private static async Task FundOreAsync(HttpClient http, string url, PrivateKey[] sellers, UInt128 each)
    {
        const int holders = 4;
        var nonces = new ulong[holders];
        for (var h = 0; h < holders; h++) nonces[h] = (await CallAsync(http, url, "ext_getNonce", DevKeys.Account(h).Address.ToString(), "pending")).GetValue<ulong>();
        var expected = (ulong[])nonces.Clone();
        var raws = sellers.Select((s, i) => Hex.Encode(Transaction.Create(ChainId, expected[i % holders]++, LoadGenerator.Fee,
            new TransferPayload(s.Address, "ORE", each), DevKeys.Account(i % holders)).Encoded)).ToList();
        foreach (var chunk in raws.Chunk(1_000))
            if (await LoadGenerator.PostAsync(http, url, LoadGenerator.BatchBody(chunk)) > 0) throw new InvalidOperationException("ORE funding was rejected");
        await LoadGenerator.WaitForNoncesAsync(http, url, Enumerable.Range(0, holders).Select(h => DevKeys.Account(h).Address).ToList(), h => expected[h], TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// market_depth (20 levels) latencies in ms from one client on its own connection, a call every
    /// <see cref="DepthPollPeriod"/> (the next at once when one takes longer), until the time is up
    /// or it is stopped. A fixed rate, not back to back: a poller that calls again as soon as it is
    /// answered loads the node more the faster it answers, so the side load differed between phases
    /// and builds.
    /// </summary>
    private static async Task<List<double>> DepthLatenciesAsync(string url, TimeSpan limit, CancellationToken stop)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "market_depth", ["params"] = new JsonArray(Market, 20) }.ToJsonString();
        var latencies = new List<double>();
        var until = Stopwatch.StartNew();
        var next = TimeSpan.Zero;
        while (!stop.IsCancellationRequested && until.Elapsed < limit)
        {
            if (next > until.Elapsed)
            {
                try { await Task.Delay(next - until.Elapsed, stop); } catch (OperationCanceledException) { break; }
            }
            next = until.Elapsed + DepthPollPeriod;
            var started = Stopwatch.GetTimestamp();
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(url, content, CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (JsonNode.Parse(text)?["result"] is null) throw new InvalidOperationException($"market_depth answered {text}");
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return latencies;
    }

    private static readonly TimeSpan DepthPollPeriod = TimeSpan.FromMilliseconds(5);

    private static async Task<ulong> TradeCountAsync(HttpClient http, string url) => (await CallAsync(http, url, "market_get", Market))["tradeCount"]!.GetValue<ulong>();

    /// <summary>The base amount of trades first..last, read in pages of 1,000.</summary>
    private static async Task<UInt128> VolumeAsync(HttpClient http, string url, ulong first, ulong last)
    {
        UInt128 volume = 0;
        for (var from = first; from <= last; from += 1_000)
            foreach (var trade in (await CallAsync(http, url, "market_trades", Market, from, 1_000)).AsArray())
                if (trade!["id"]!.GetValue<ulong>() <= last) volume += UInt128.Parse(trade["baseAmount"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        return volume;
    }

    private static async Task<JsonNode> CallAsync(HttpClient http, string url, string method, params JsonNode?[] parameters)
    {
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = new JsonArray(parameters) }.ToJsonString();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(url, content);
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?["result"] ?? throw new InvalidOperationException($"{method} answered {text}");
    }

    private static void PrintBlocks(string label, List<EndToEndBenchmark.BlockLog> blocks)
    {
        if (blocks.Count == 0) return;
        var ms = blocks.Select(b => b.Ms).Order().ToList();
        Console.WriteLine($"{label}: {blocks.Count}, mean {blocks.Average(b => b.Count):N0} tx/block, produce+commit p50 {ms[ms.Count / 2]:F1} ms, max {ms[^1]:F1} ms, " +
                          $"per 1,000 tx {blocks.Sum(b => b.Ms) / blocks.Sum(b => b.Count) * 1000:F1} ms");
        // Block by block, in height order: shows whether the first block of a phase pays a warm-up.
        Console.WriteLine($"  in order (tx / ms): {string.Join(", ", blocks.Select(b => $"{b.Count:N0} / {b.Ms:F0}"))}");
    }

    /// <summary>
    /// Stream lag for the order phase's blocks, from the notifications' arrival (client wall clock)
    /// and the node's "durable at" time of the same block (node wall clock; one machine, one clock):
    /// "commit -> client" for newHeads, the market's trades stream and its book deltas. Also
    /// newHeads from the block's time (when its production started), what a trader waits in all.
    /// </summary>
    private static void PrintStreamLag(List<(string Stream, ulong Height, ulong TimeMs, double ReceivedMs)> received, List<EndToEndBenchmark.BlockLog> blocks)
    {
        var durable = blocks.Where(b => b.DurableUnixMs is not null).ToDictionary(b => b.Height, b => b.DurableUnixMs!.Value);
        var heads = received.Where(r => r.Stream == "newHeads" && durable.ContainsKey(r.Height)).ToList();
        Console.WriteLine($"newHeads over WebSocket, {heads.Count} order block(s): block time -> client {Percentiles(heads.Select(h => h.ReceivedMs - h.TimeMs).ToList())}");
        foreach (var stream in new[] { "newHeads", "trades", "book delta" })
        {
            var lags = received.Where(r => r.Stream == stream && durable.ContainsKey(r.Height)).Select(r => r.ReceivedMs - durable[r.Height]).ToList();
            Console.WriteLine($"commit -> client, {stream}: {Percentiles(lags)}");
        }
    }

    private static string Percentiles(List<double> values)
    {
        if (values.Count == 0) return "no samples";
        var sorted = values.Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return $"p50 {At(0.50):F1} ms, p99 {At(0.99):F1} ms, max {sorted[^1]:F1} ms ({sorted.Count} samples)";
    }

    /// <summary>
    /// A WebSocket client subscribed to newHeads or to one of the market's streams (trades, book:
    /// market_subscribe), recording each notification's stream, block height, block time (newHeads)
    /// and arrival (client wall clock, Unix ms with a fraction).
    /// </summary>
    private sealed class StreamListener : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly List<(string, ulong, ulong, double)> _received = [];
        private Task _loop = Task.CompletedTask;

        /// <summary>A connection subscribed to one stream (one connection each, so a large trades message does not delay the book delta behind it).</summary>
        public static async Task<StreamListener> StartAsync(string httpUrl, string method, params JsonNode?[] parameters)
        {
            var listener = new StreamListener();
            await listener._socket.ConnectAsync(new Uri(httpUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "ws"), CancellationToken.None);
            await listener.SendAsync(method, parameters);
            listener._loop = listener.ReceiveAsync();
            return listener;
        }

        private Task SendAsync(string method, params JsonNode?[] parameters)
        {
            var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = new JsonArray(parameters) }.ToJsonString();
            return _socket.SendAsync(Encoding.UTF8.GetBytes(body), WebSocketMessageType.Text, true, CancellationToken.None);
        }

        public List<(string Stream, ulong Height, ulong TimeMs, double ReceivedMs)> Received()
        {
            lock (_received) return [.. _received];
        }

        private async Task ReceiveAsync()
        {
            var buffer = new byte[1 << 16];
            using var message = new MemoryStream();
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                    if (part.MessageType == WebSocketMessageType.Close) return;
                    message.Write(buffer, 0, part.Count);
                    if (!part.EndOfMessage) continue;
                    var receivedMs = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
                    var notification = ReadNotification(message.GetBuffer().AsSpan(0, (int)message.Length));
                    message.SetLength(0);
                    if (notification is not var (type, height, timeMs)) continue;
                    var stream = type switch
                    {
                        null => "newHeads",
                        "trades" => "trades",
                        "delta" => "book delta",
                        _ => null, // the book's first snapshot: sent at subscription, not after a commit
                    };
                    if (stream is null) continue;
                    lock (_received) _received.Add((stream, height, timeMs, receivedMs));
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        /// <summary>
        /// An ext_subscription notification's result type, height and block time, read without
        /// building the message (a block's trades message is megabytes: parsing it into a document
        /// cost the client CPU that the node, on the same 2 cores, then lacked in the order phase
        /// only). Arrays (trades, levels) are skipped. Null for anything else (responses).
        /// </summary>
        private static (string? Type, ulong Height, ulong TimeMs)? ReadNotification(ReadOnlySpan<byte> json)
        {
            var reader = new Utf8JsonReader(json);
            string? method = null, type = null;
            ulong? height = null;
            ulong timeMs = 0;
            var resultDepth = -1;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                var depth = reader.CurrentDepth;
                var name = reader.GetString();
                if (!reader.Read()) break;
                if (depth == 1 && name == "method" && reader.TokenType == JsonTokenType.String) method = reader.GetString();
                else if (depth == 2 && name == "result" && reader.TokenType == JsonTokenType.StartObject) resultDepth = reader.CurrentDepth;
                else if (resultDepth >= 0 && depth == resultDepth + 1)
                {
                    if (name == "type" && reader.TokenType == JsonTokenType.String) type = reader.GetString();
                    else if (name == "height" && reader.TokenType == JsonTokenType.Number) height = reader.GetUInt64();
                    else if (name == "timeMs" && reader.TokenType == JsonTokenType.Number) timeMs = reader.GetUInt64();
                }
                if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject && !(depth == 2 && name == "result") && !(depth == 0 && name == "params") && !(depth == 1 && name == "params")) reader.Skip();
            }
            return method == "ext_subscription" && height is { } h ? (type, h, timeMs) : null;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _socket.Abort();
            _socket.Dispose();
            _stop.Dispose();
        }
    }
}
