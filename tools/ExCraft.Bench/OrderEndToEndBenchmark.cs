using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
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
/// empty (checked). Under that load it also measures market_depth latency (a client polling
/// sequentially on its own connection) and the lag of newHeads notifications over WebSocket.
/// </summary>
public static class OrderEndToEndBenchmark
{
    private const ulong ChainId = 9545;
    private const string Market = "ORE/EXT";
    private const int OreDecimals = 6;
    private static readonly UInt128 Price = Amount.Parse("1"); // 1 EXT per ORE: on the 0.001 tick, and 1 ORE is the 1 EXT min notional
    private static readonly UInt128 Size = Amount.Parse("1", OreDecimals);

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
        Console.WriteLine($"e2e-orders: {total:N0} transfers, then {total:N0} orders on {Market} ({accountCount / 2} sellers, {accountCount / 2} buyers), " +
                          $"from {accountCount} accounts, batches of {batchSize}, {connections} connection(s), block interval {intervalMs} ms, {Environment.ProcessorCount} CPU(s)");
        using var node = await EndToEndBenchmark.BenchNode.StartAsync(intervalMs);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };

        // Set-up (not timed): 1,000 EXT to every account, 2 ORE per order to every seller.
        var senders = LoadGenerator.Senders(accountCount);
        await LoadGenerator.FundAsync(http, node.Url, ChainId, senders);
        var sellers = senders.Where((_, i) => IsSeller(i)).ToArray();
        await FundOreAsync(http, node.Url, sellers, Size * (UInt128)perAccount * 2);
        var signing = Stopwatch.StartNew();
        var transfers = LoadGenerator.SignTransfers(ChainId, senders, perAccount);
        var orders = SignOrders(senders, perAccount, firstNonce: (ulong)perAccount);
        Console.WriteLine($"signed {2 * total:N0} transactions client-side in {signing.Elapsed.TotalSeconds:F2} s (not part of the measurement)");

        // The same pipeline for both: transfers first (nonces 0..n-1), then orders (n..2n-1).
        var idleDepth = await DepthLatenciesAsync(node.Url, TimeSpan.FromSeconds(2), CancellationToken.None);
        // The market_depth poller runs through both timed phases, so both carry the same side load.
        using var stopTransferPolling = new CancellationTokenSource();
        var depthDuringTransfers = DepthLatenciesAsync(node.Url, TimeSpan.FromMinutes(10), stopTransferPolling.Token);
        var transfer = await SendAndWaitAsync(http, node, transfers, senders, perAccount, batchSize, connections, expectedNonce: (ulong)perAccount);
        await stopTransferPolling.CancelAsync();
        var depthTransferLatencies = await depthDuringTransfers;
        var tradesBefore = await TradeCountAsync(http, node.Url);

        using var stopLoad = new CancellationTokenSource();
        await using var heads = await HeadsListener.StartAsync(node.Url);
        var depthUnderLoad = DepthLatenciesAsync(node.Url, TimeSpan.FromMinutes(10), stopLoad.Token);
        var order = await SendAndWaitAsync(http, node, orders, senders, perAccount, batchSize, connections, expectedNonce: 2 * (ulong)perAccount);
        await stopLoad.CancelAsync();
        var depthLatencies = await depthUnderLoad;
        var notifications = heads.Received();

        // Every order filled: the book is empty and the trades moved exactly the ORE sold.
        var depth = await CallAsync(http, node.Url, "market_depth", Market, 5);
        var resting = depth["bids"]!.AsArray().Count + depth["asks"]!.AsArray().Count;
        var tradesAfter = await TradeCountAsync(http, node.Url);
        var volume = await VolumeAsync(http, node.Url, tradesBefore + 1, tradesAfter);
        var expectedVolume = Size * (UInt128)(total / 2);

        Console.WriteLine($"rejected: transfers {transfer.Rejected}, orders {order.Rejected}");
        Console.WriteLine($"transfers: all committed after {transfer.Elapsed.TotalSeconds:F2} s: {transfer.Rate:N0} tx/s");
        Console.WriteLine($"orders:    all committed after {order.Elapsed.TotalSeconds:F2} s: {order.Rate:N0} orders/s, {tradesAfter - tradesBefore:N0} trades, " +
                          $"{Amount.Format(volume, OreDecimals)} ORE traded (expected {Amount.Format(expectedVolume, OreDecimals)}), {resting} price level(s) left in the book");
        PrintBlocks("transfer blocks", transfer.Blocks);
        PrintBlocks("order blocks", order.Blocks);
        // Node CPU (RPC, signature recovery, mempool, production, commit, market data) per 1,000 transactions: what load on a shared machine distorts least.
        var transferCpu = transfer.NodeCpu.TotalMilliseconds * 1_000 / total;
        var orderCpu = order.NodeCpu.TotalMilliseconds * 1_000 / total;
        Console.WriteLine($"node CPU per 1,000 tx: transfers {transferCpu:F1} ms, orders {orderCpu:F1} ms, transfers / orders = {transferCpu / orderCpu:F2}x");
        Console.WriteLine($"orders / transfers = {order.Rate / transfer.Rate:F2}x (bar 0.7x)");
        Console.WriteLine($"market_depth latency idle:       {Percentiles(idleDepth)}");
        Console.WriteLine($"market_depth latency during the transfer phase: {Percentiles(depthTransferLatencies)}");
        Console.WriteLine($"market_depth latency under load: {Percentiles(depthLatencies)}");
        PrintStreamLag(notifications, order.CommitMsByHeight);
        return transfer.Rejected == 0 && order.Rejected == 0 && resting == 0 && volume == expectedVolume ? 0 : 2;
    }

    private static bool IsSeller(int account) => account % 2 == 0;

    /// <summary>perAccount good-till-cancel orders of 1 ORE at 1 EXT per account: sells from even accounts, buys from odd ones.</summary>
    private static Transaction[,] SignOrders(PrivateKey[] senders, int perAccount, ulong firstNonce)
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

    private sealed record Phase(TimeSpan Elapsed, double Rate, int Rejected, List<(int Count, double Ms)> Blocks, Dictionary<ulong, double> CommitMsByHeight, TimeSpan NodeCpu);

    /// <summary>
    /// As the e2e transfer benchmark: each connection owns a slice of the accounts and posts its
    /// batches in nonce order; the clock stops when every account's committed nonce is reached.
    /// </summary>
    private static async Task<Phase> SendAndWaitAsync(HttpClient http, EndToEndBenchmark.BenchNode node, Transaction[,] transactions, PrivateKey[] senders,
        int perAccount, int batchSize, int connections, ulong expectedNonce)
    {
        var accountCount = senders.Length;
        var bodies = Enumerable.Range(0, connections).Select(c =>
        {
            var raws = new List<string>();
            for (var n = 0; n < perAccount; n++)
                for (var a = c; a < accountCount; a += connections) raws.Add(Hex.Encode(transactions[a, n].Encoded));
            return raws.Chunk(batchSize).Select(LoadGenerator.BatchBody).ToList();
        }).ToList();
        node.MarkLog();
        var cpuBefore = node.CpuTime;
        var clock = Stopwatch.StartNew();
        var rejected = await Task.WhenAll(bodies.Select(async list =>
        {
            var errors = 0;
            foreach (var body in list) errors += await LoadGenerator.PostAsync(http, node.Url, body);
            return errors;
        }));
        await LoadGenerator.WaitForNoncesAsync(http, node.Url, senders.Select(s => s.Address).ToList(), _ => expectedNonce, TimeSpan.FromMinutes(5));
        var elapsed = clock.Elapsed;
        // The node logs a block just after committing it, so its last lines may trail the nonces: wait for them (bounded).
        var logWait = Stopwatch.StartNew();
        while (node.BlocksSinceMark().Sum(b => b.Count) < accountCount * perAccount && logWait.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(20);
        return new Phase(elapsed, accountCount * perAccount / elapsed.TotalSeconds, rejected.Sum(), node.BlocksSinceMark(), node.CommitMsByHeightSinceMark(),
            node.CpuTime - cpuBefore);
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

    /// <summary>market_depth (20 levels) latencies in ms from one client calling in a loop on its own connection, until the time is up or it is stopped.</summary>
    private static async Task<List<double>> DepthLatenciesAsync(string url, TimeSpan limit, CancellationToken stop)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "market_depth", ["params"] = new JsonArray(Market, 20) }.ToJsonString();
        var latencies = new List<double>();
        var until = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested && until.Elapsed < limit)
        {
            var started = Stopwatch.GetTimestamp();
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(url, content, CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (JsonNode.Parse(text)?["result"] is null) throw new InvalidOperationException($"market_depth answered {text}");
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return latencies;
    }

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

    private static void PrintBlocks(string label, List<(int Count, double Ms)> blocks)
    {
        if (blocks.Count == 0) return;
        var ms = blocks.Select(b => b.Ms).Order().ToList();
        Console.WriteLine($"{label}: {blocks.Count}, mean {blocks.Average(b => b.Count):N0} tx/block, produce+commit p50 {ms[ms.Count / 2]:F1} ms, max {ms[^1]:F1} ms, " +
                          $"per 1,000 tx {blocks.Sum(b => b.Ms) / blocks.Sum(b => b.Count) * 1000:F1} ms");
    }

    /// <summary>
    /// newHeads lag for the blocks with transactions: from the block's time (when its production
    /// started) to the client, and from its commit (that time plus the produce+commit the node
    /// logged) to the client. Same machine, same clock.
    /// </summary>
    private static void PrintStreamLag(List<(ulong Height, ulong TimeMs, double ReceivedMs)> heads, Dictionary<ulong, double> commitMs)
    {
        var fromBlockTime = new List<double>();
        var fromCommit = new List<double>();
        foreach (var (height, timeMs, receivedMs) in heads)
        {
            if (!commitMs.TryGetValue(height, out var produce)) continue;
            fromBlockTime.Add(receivedMs - timeMs);
            fromCommit.Add(receivedMs - timeMs - produce);
        }
        Console.WriteLine($"newHeads over WebSocket, {fromBlockTime.Count} order block(s): block time -> client {Percentiles(fromBlockTime)}; commit -> client {Percentiles(fromCommit)}");
    }

    private static string Percentiles(List<double> values)
    {
        if (values.Count == 0) return "no samples";
        var sorted = values.Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return $"p50 {At(0.50):F1} ms, p99 {At(0.99):F1} ms, max {sorted[^1]:F1} ms ({sorted.Count} samples)";
    }

    /// <summary>A WebSocket client subscribed to newHeads, recording each header's height, block time and when it arrived (wall clock ms).</summary>
    private sealed class HeadsListener : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly List<(ulong, ulong, double)> _received = [];
        private Task _loop = Task.CompletedTask;

        public static async Task<HeadsListener> StartAsync(string httpUrl)
        {
            var listener = new HeadsListener();
            await listener._socket.ConnectAsync(new Uri(httpUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "ws"), CancellationToken.None);
            var subscribe = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "ext_subscribe", ["params"] = new JsonArray("newHeads") }.ToJsonString();
            await listener._socket.SendAsync(Encoding.UTF8.GetBytes(subscribe), WebSocketMessageType.Text, true, CancellationToken.None);
            listener._loop = listener.ReceiveAsync();
            return listener;
        }

        public List<(ulong Height, ulong TimeMs, double ReceivedMs)> Received()
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
                    var receivedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    var json = JsonNode.Parse(message.ToArray());
                    message.SetLength(0);
                    if (json?["method"]?.GetValue<string>() != "ext_subscription") continue;
                    var head = json["params"]!["result"]!;
                    lock (_received) _received.Add((head["height"]!.GetValue<ulong>(), head["timeMs"]!.GetValue<ulong>(), receivedMs));
                }
            }
            catch (OperationCanceledException)
            {
            }
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
