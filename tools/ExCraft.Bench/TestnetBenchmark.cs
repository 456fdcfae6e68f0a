using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Bench;

/// <summary>
/// A 4-validator testnet on this machine (four node processes on 127.0.0.1, BFT consensus over
/// the encrypted P2P network): block interval, finality latency from submission to commit
/// (p50, p99) and sustained transfers per second under a steady offered load. Each sender is
/// pinned to one node, so its nonces arrive in order. Commit time of a block = when node 0's
/// newHeads notification for it arrives. Baseline in the same run: raw single-thread signature
/// recovery of the same transactions.
/// </summary>
public static class TestnetBenchmark
{
    private const ulong ChainId = 9547;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    public static int Run(string[] args)
    {
        int validators = 4, rate = 3_000, seconds = 10, accounts = 200, intervalMs = 200;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--validators": validators = value; break;
                case "--rate": rate = value; break;
                case "--seconds": seconds = value; break;
                case "--accounts": accounts = value; break;
                case "--block-interval-ms": intervalMs = value; break;
                default: Console.Error.WriteLine($"testnet: unknown option {args[i]}"); return 1;
            }
        }
        var dir = Path.Combine(Path.GetTempPath(), "excraft-bench-testnet-" + Guid.NewGuid().ToString("N"));
        try
        {
            return RunAsync(dir, validators, rate, seconds, accounts, intervalMs).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException)
        {
            Console.Error.WriteLine($"testnet benchmark failed: {e.Message}");
            return 1;
        }
        finally
        {
            ExCraft.Cli.Cli.RunAsync(["testnet", "reset", "--dir", dir], TextWriter.Null, TextWriter.Null).GetAwaiter().GetResult();
        }
    }

    private static async Task<int> RunAsync(string dir, int validators, int rate, int seconds, int accountCount, int intervalMs)
    {
        var perAccount = (rate * seconds + accountCount - 1) / accountCount;
        Console.WriteLine($"testnet: {validators} validators, offered {rate:N0} tx/s for {seconds} s ({accountCount} senders x {perAccount}), block interval {intervalMs} ms, {Environment.ProcessorCount} CPU(s)");
        var rpcBase = FreePort();
        var code = await ExCraft.Cli.Cli.RunAsync(["testnet", "up", "--dir", dir, "--validators", validators.ToString(CultureInfo.InvariantCulture),
            "--rpc-port", rpcBase.ToString(CultureInfo.InvariantCulture), "--p2p-port", FreePort().ToString(CultureInfo.InvariantCulture),
            "--block-interval-ms", intervalMs.ToString(CultureInfo.InvariantCulture), "--timeout", "60"], Console.Out, Console.Error);
        if (code != 0) throw new InvalidOperationException($"excraft testnet up exited {code}");
        var urls = Enumerable.Range(0, validators).Select(i => $"http://127.0.0.1:{rpcBase + i}/").ToArray();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };

        var senders = LoadGenerator.Senders(accountCount);
        await LoadGenerator.FundAsync(http, urls[0], ChainId, senders);
        var transactions = LoadGenerator.SignTransfers(ChainId, senders, perAccount);
        var baselineRate = LoadGenerator.BaselineRecoveryRate(transactions);

        // Commit times: node 0's newHeads notifications, stamped on arrival.
        var commitTimes = new Dictionary<ulong, double>();
        var clock = Stopwatch.StartNew();
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{rpcBase}/ws"), CancellationToken.None);
        await ws.SendAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ext_subscribe\",\"params\":[\"newHeads\"]}"), WebSocketMessageType.Text, true, CancellationToken.None);
        using var stopHeads = new CancellationTokenSource();
        var heads = ListenForHeadsAsync(ws, commitTimes, clock, stopHeads.Token);
        var startHeight = await HeightAsync(http, urls[0]);

        // Offered load: every 50 ms each node gets the next transactions of the senders pinned to it.
        var submitTimes = new Dictionary<string, double>();
        var perStep = Math.Max(1, rate / 20);
        // Batches are encoded before the clock matters, so the client's JSON work does not compete with the nodes.
        var plans = Enumerable.Range(0, validators).Select(node =>
        {
            var mine = Enumerable.Range(0, accountCount).Where(a => a % validators == node).ToList();
            var share = Math.Max(1, perStep * mine.Count / accountCount);
            return Enumerable.Range(0, perAccount).SelectMany(n => mine.Select(a => transactions[a, n])).Chunk(share)
                .Select(batch => (Hashes: batch.Select(t => Hex.Encode(t.Hash)).ToArray(), Body: LoadGenerator.BatchBody(batch.Select(t => Hex.Encode(t.Encoded))))).ToList();
        }).ToList();
        var rejected = await Task.WhenAll(Enumerable.Range(0, validators).Select(node => Task.Run(async () =>
        {
            var errors = 0;
            var next = clock.Elapsed;
            foreach (var (hashes, body) in plans[node])
            {
                var sentAt = clock.Elapsed.TotalMilliseconds;
                lock (submitTimes) foreach (var hash in hashes) submitTimes[hash] = sentAt;
                errors += await LoadGenerator.PostAsync(http, urls[node], body);
                next += Step;
                var wait = next - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
            }
            return errors;
        })));
        var offeredFor = clock.Elapsed.TotalSeconds;
        await LoadGenerator.WaitForNoncesAsync(http, urls[0], senders.Select(s => s.Address).ToList(), _ => (ulong)perAccount, TimeSpan.FromMinutes(3));
        await Task.Delay(500);
        await stopHeads.CancelAsync();
        try { await heads; } catch (OperationCanceledException) { }

        // Per transaction: commit time of its block minus its submission time.
        var endHeight = await HeightAsync(http, urls[0]);
        var latencies = new List<double>();
        var blockTimes = new List<ulong>();
        var committed = 0;
        double firstCommit = double.MaxValue, lastCommit = 0;
        for (var h = startHeight + 1; h <= endHeight; h++)
        {
            var block = await CallAsync(http, urls[0], "ext_getBlockByNumber", JsonValue.Create(h), JsonValue.Create(false));
            blockTimes.Add(block!["timeMs"]!.GetValue<ulong>());
            if (!commitTimes.TryGetValue(h, out var at)) continue;
            foreach (var hash in block["transactions"]!.AsArray().Select(t => t!.GetValue<string>()))
            {
                if (!submitTimes.TryGetValue(hash, out var sent)) continue;
                latencies.Add(at - sent);
                committed++;
                firstCommit = Math.Min(firstCommit, at);
                lastCommit = Math.Max(lastCommit, at);
            }
        }
        latencies.Sort();
        var intervals = blockTimes.Zip(blockTimes.Skip(1), (a, b) => (double)(b - a)).Order().ToList();
        var firstSubmit = submitTimes.Values.Min();
        var throughput = committed / ((lastCommit - firstSubmit) / 1000);
        Console.WriteLine($"rejected: {rejected.Sum()}; offered for {offeredFor:F1} s; committed {committed:N0} of {submitTimes.Count:N0} in {endHeight - startHeight} blocks");
        Console.WriteLine($"block interval: mean {intervals.Average():F0} ms, p50 {intervals[intervals.Count / 2]:F0} ms");
        Console.WriteLine($"finality (submission -> commit): p50 {Percentile(latencies, 0.50):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms, max {latencies[^1]:F0} ms");
        Console.WriteLine($"sustained: {throughput:N0} tx/s (first submission to last commit)");
        Console.WriteLine($"baseline: single-thread raw secp256k1 recovery {baselineRate:N0}/s; sustained / baseline = {throughput / baselineRate:F2}x");
        return rejected.Sum() == 0 ? 0 : 2;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private static async Task ListenForHeadsAsync(ClientWebSocket ws, Dictionary<ulong, double> commitTimes, Stopwatch clock, CancellationToken cancel)
    {
        var buffer = new byte[1 << 16];
        while (!cancel.IsCancellationRequested)
        {
            var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await ws.ReceiveAsync(buffer, cancel);
                message.Write(buffer, 0, result.Count);
            } while (!result.EndOfMessage);
            var at = clock.Elapsed.TotalMilliseconds;
            if (JsonNode.Parse(message.ToArray())?["params"]?["result"]?["height"] is { } height) commitTimes[height.GetValue<ulong>()] = at;
        }
    }

    private static async Task<ulong> HeightAsync(HttpClient http, string url) => (await CallAsync(http, url, "ext_blockNumber"))!.GetValue<ulong>();

    private static async Task<JsonNode?> CallAsync(HttpClient http, string url, string method, params JsonNode?[] parameters)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = new JsonArray(parameters) };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(url, content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())?["result"];
    }

    /// <summary>The first of 8 consecutive free loopback ports.</summary>
    private static int FreePort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var start = Random.Shared.Next(20_000, 32_000); // below the ephemeral range
            if (Enumerable.Range(start, 8).All(p =>
                {
                    try { using var l = new TcpListener(IPAddress.Loopback, p); l.Start(); return true; }
                    catch (SocketException) { return false; }
                })) return start;
        }
        throw new InvalidOperationException("no free port range");
    }
}
