using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Bench;

/// <summary>
/// Signed transfers per second through the whole dev node: RPC (batched), signature recovery,
/// mempool, block production, execution and the synced RocksDB commit, measured from the first
/// request to the moment every transfer is committed. Baseline in the same run: raw
/// single-thread secp256k1 recovery of the same transactions. The node is a separate process on
/// 127.0.0.1 sharing the machine with this client.
/// </summary>
public static partial class EndToEndBenchmark
{
    private const ulong ChainId = 9545;

    public static int Run(string[] args)
    {
        int accounts = 100, perAccount = 400, batchSize = 500, connections = 2, intervalMs = 250;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--accounts": accounts = value; break;
                case "--per-account": perAccount = value; break;
                case "--batch": batchSize = value; break;
                case "--connections": connections = value; break;
                case "--block-interval-ms": intervalMs = value; break;
                default: Console.Error.WriteLine($"e2e: unknown option {args[i]}"); return 1;
            }
        }
        try
        {
            return RunAsync(accounts, perAccount, batchSize, connections, intervalMs).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException)
        {
            Console.Error.WriteLine($"e2e failed: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> RunAsync(int accountCount, int perAccount, int batchSize, int connections, int intervalMs)
    {
        var total = accountCount * perAccount;
        Console.WriteLine($"e2e: {total:N0} transfers from {accountCount} accounts, batches of {batchSize}, {connections} connection(s), block interval {intervalMs} ms, {Environment.ProcessorCount} CPU(s)");
        using var node = await BenchNode.StartAsync(intervalMs);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };

        // Set-up (not timed): fund fresh accounts, sign their transfers.
        var senders = LoadGenerator.Senders(accountCount);
        await LoadGenerator.FundAsync(http, node.Url, ChainId, senders);
        var signing = Stopwatch.StartNew();
        var transactions = LoadGenerator.SignTransfers(ChainId, senders, perAccount);
        Console.WriteLine($"signed {total:N0} transactions client-side in {signing.Elapsed.TotalSeconds:F2} s (not part of the measurement)");
        var baselineRate = LoadGenerator.BaselineRecoveryRate(transactions);

        var phase = await LoadGenerator.SendAndWaitAsync(http, node, transactions, senders, batchSize, connections, expectedNonce: (ulong)perAccount);
        var blocks = phase.Blocks;
        Console.WriteLine($"rejected: {phase.Rejected}");
        Console.WriteLine($"all submitted after {phase.Submitted.TotalSeconds:F2} s, all committed after {phase.Elapsed.TotalSeconds:F2} s");
        Console.WriteLine($"end-to-end: {phase.Rate:N0} tx/s");
        if (blocks.Count > 0)
        {
            var commitMs = blocks.Select(b => b.Ms).Order().ToList();
            Console.WriteLine($"blocks with transactions: {blocks.Count}, mean {blocks.Average(b => b.Count):N0} tx/block, " +
                              $"produce+commit per block: p50 {commitMs[commitMs.Count / 2]:F1} ms, max {commitMs[^1]:F1} ms, " +
                              $"per 1,000 tx {blocks.Sum(b => b.Ms) / blocks.Sum(b => b.Count) * 1000:F1} ms");
        }
        var rate = phase.Rate;
        Console.WriteLine($"baseline: single-thread raw secp256k1 recovery {baselineRate:N0}/s; end-to-end / baseline = {rate / baselineRate:F2}x");
        return phase.Rejected == 0 ? 0 : 2;
    }

    /// <summary>The node's allocation and collections so far (or over a phase: the difference of two readings).</summary>
    internal readonly record struct RuntimeFigures(double AllocatedBytes, double Gen0, double Gen1, double Gen2, double PauseSeconds)
    {
        public static RuntimeFigures operator -(RuntimeFigures a, RuntimeFigures b) =>
            new(a.AllocatedBytes - b.AllocatedBytes, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.PauseSeconds - b.PauseSeconds);

        /// <summary>Two phases' figures together.</summary>
        public static RuntimeFigures operator +(RuntimeFigures a, RuntimeFigures b) =>
            new(a.AllocatedBytes + b.AllocatedBytes, a.Gen0 + b.Gen0, a.Gen1 + b.Gen1, a.Gen2 + b.Gen2, a.PauseSeconds + b.PauseSeconds);

        /// <summary>Per 1,000 of the phase's transactions: what one run shows with little noise, unlike rates on a shared machine.</summary>
        public string Per1000(int transactions) =>
            $"allocated {AllocatedBytes / transactions * 1_000 / 1e6:F1} MB, GC pause {PauseSeconds * 1e3 / transactions * 1_000:F1} ms; collections gen0/1/2 {Gen0:F0}/{Gen1:F0}/{Gen2:F0} in the phase";
    }

    /// <summary>One logged block: height, transaction count, produce+commit time, and when it became durable (Unix ms; null from a node that does not log it).</summary>
    internal sealed record BlockLog(ulong Height, int Count, double Ms, double? DurableUnixMs);

    /// <summary>The dev node as a child process on a free loopback port with a temp data directory (also used by <see cref="OrderEndToEndBenchmark"/>).</summary>
    internal sealed partial class BenchNode : IDisposable
    {
        private readonly Process _process;
        private readonly string _dataDir;
        private readonly List<string> _log = [];
        private int _mark;

        public string Url { get; }

        /// <summary>CPU time the node process has used so far (all its threads): a load-independent cost measure on a shared machine.</summary>
        public TimeSpan CpuTime
        {
            get
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
        }

        private BenchNode(Process process, string dataDir, string url)
        {
            _process = process;
            _dataDir = dataDir;
            Url = url;
        }

        public static async Task<BenchNode> StartAsync(int intervalMs)
        {
            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            var dataDir = Path.Combine(Path.GetTempPath(), "excraft-bench-" + Guid.NewGuid().ToString("N"));
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "excraft-node.dll"), "--dev", "--data-dir", dataDir, "--rpc-port", port.ToString(CultureInfo.InvariantCulture), "--block-interval-ms", intervalMs.ToString(CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(arg);
            var node = new BenchNode(Process.Start(start)!, dataDir, $"http://127.0.0.1:{port}/");
            Current = node;
            node._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (node._log) node._log.Add(e.Data); };
            node._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (node._log) node._log.Add(e.Data); };
            node._process.BeginOutputReadLine();
            node._process.BeginErrorReadLine();
            using var http = new HttpClient();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    if ((await http.GetAsync(node.Url + "health")).IsSuccessStatusCode) return node;
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(100);
            }
            node.Dispose();
            throw new TimeoutException("the node did not start within 60 s");
        }

        public static BenchNode? Current { get; private set; }

        /// <summary>The node's garbage-collection figures from /metrics (zeros from a node that does not publish them).</summary>
        public async Task<RuntimeFigures> RuntimeAsync(HttpClient http)
        {
            var text = await http.GetStringAsync(Url + "metrics");
            double Value(string name) => text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal))
                .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).DefaultIfEmpty(0).First();
            return new RuntimeFigures(Value("excraft_allocated_bytes_total "), Value("excraft_gc_collections_total{generation=\"0\"}"),
                Value("excraft_gc_collections_total{generation=\"1\"}"), Value("excraft_gc_collections_total{generation=\"2\"}"),
                Value("excraft_gc_pause_seconds_total "));
        }

        public string LogTail()
        {
            lock (_log) return string.Join('\n', _log.TakeLast(40));
        }

        public void MarkLog()
        {
            lock (_log) _mark = _log.Count;
        }

        /// <summary>The blocks with transactions logged since the mark: height, transactions, produce+commit ms and the wall-clock commit time.</summary>
        public List<BlockLog> BlocksSinceMark()
        {
            lock (_log)
            {
                return _log.Skip(_mark).Select(line => BlockLine().Match(line)).Where(m => m.Success)
                    .Select(m => new BlockLog(ulong.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                        double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
                        double.TryParse(m.Groups[4].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var at) ? at : null)).ToList();
            }
        }

        // The node's line per block with transactions (BlockProductionService); "durable at" is when the commit finished (CommitClock).
        [GeneratedRegex(@"block (\d+): (\d+) transactions, produced and committed in ([\d.]+) ms(?:, durable at ([\d.]+))?")]
        private static partial Regex BlockLine();

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            _process.Dispose();
            try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
        }
    }
}
