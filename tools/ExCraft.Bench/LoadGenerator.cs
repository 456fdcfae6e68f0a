using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Bench;

/// <summary>
/// What the throughput benchmarks share: funded sender accounts, pre-signed transfers, JSON-RPC
/// batches, the timed send-and-wait phase, and the baseline (raw single-thread signature recovery
/// of the same transactions).
/// </summary>
public static class LoadGenerator
{
    public static readonly UInt128 Fee = Amount.Parse("0.00001");

    public static PrivateKey[] Senders(int count) =>
        Enumerable.Range(0, count).Select(i => new PrivateKey(Keccak256.Hash(Encoding.UTF8.GetBytes($"excraft bench sender {i}")))).ToArray();

    /// <summary>Gives every sender 1,000 EXT from the dev accounts and waits until that is committed.</summary>
    public static async Task FundAsync(HttpClient http, string url, ulong chainId, PrivateKey[] senders, ulong wholeExt = 1_000)
    {
        var funding = senders.Select((s, i) => Hex.Encode(Transaction.Create(chainId, (ulong)(i / DevKeys.AccountCount), Fee,
            new TransferPayload(s.Address, AssetSymbol.Native, Amount.FromWhole(wholeExt)), DevKeys.Account(i % DevKeys.AccountCount)).Encoded)).ToList();
        foreach (var chunk in funding.Chunk(1_000)) await PostAsync(http, url, BatchBody(chunk));
        await WaitForNoncesAsync(http, url, Enumerable.Range(0, Math.Min(senders.Length, DevKeys.AccountCount)).Select(i => DevKeys.Account(i).Address).ToList(),
            i => (ulong)((senders.Length - i + DevKeys.AccountCount - 1) / DevKeys.AccountCount), TimeSpan.FromSeconds(60));
    }

    /// <summary>perAccount transfers of 1 base unit from each sender, nonces 0.., signed in parallel.</summary>
    public static Transaction[,] SignTransfers(ulong chainId, PrivateKey[] senders, int perAccount, ulong firstNonce = 0)
    {
        var sink = DevKeys.Account(0).Address;
        var transactions = new Transaction[senders.Length, perAccount];
        Parallel.For(0, senders.Length, a =>
        {
            for (var n = 0; n < perAccount; n++)
                transactions[a, n] = Transaction.Create(chainId, firstNonce + (ulong)n, Fee, new TransferPayload(sink, AssetSymbol.Native, 1), senders[a]);
        });
        return transactions;
    }

    /// <summary>Recoveries per second of raw single-thread libsecp256k1 over (up to 10,000 of) the same transactions.</summary>
    public static double BaselineRecoveryRate(Transaction[,] transactions)
    {
        var accounts = transactions.GetLength(0);
        var perAccount = transactions.GetLength(1);
        var sample = Math.Min(accounts * perAccount, 10_000);
        var clock = Stopwatch.StartNew();
        for (var k = 0; k < sample; k++)
        {
            var tx = transactions[k % accounts, k / accounts % perAccount];
            Secp256k1Recovery.TryRecoverAddress(tx.SigningHash, tx.Signature, out _, out _);
        }
        return sample / clock.Elapsed.TotalSeconds;
    }

    /// <summary>What one timed phase measured: submit and commit times, rate, rejected calls, the node's block lines and its CPU time over the phase.</summary>
    internal sealed record Phase(TimeSpan Submitted, TimeSpan Elapsed, double Rate, int Rejected, List<EndToEndBenchmark.BlockLog> Blocks, TimeSpan NodeCpu,
        EndToEndBenchmark.RuntimeFigures NodeRuntime);

    /// <summary>
    /// The timed pipeline both e2e benchmarks run: pre-signed transactions (transactions[account,
    /// n]) in JSON-RPC batches on several connections, each connection owning a slice of the
    /// accounts and posting its batches in nonce order; the clock runs from the first request until
    /// every account's committed nonce reaches expectedNonce. Then it waits (bounded) for the node's
    /// log lines of the last blocks, which are written just after the commit.
    /// </summary>
    internal static async Task<Phase> SendAndWaitAsync(HttpClient http, EndToEndBenchmark.BenchNode node, Transaction[,] transactions, PrivateKey[] senders,
        int batchSize, int connections, ulong expectedNonce)
    {
        var accountCount = transactions.GetLength(0);
        var perAccount = transactions.GetLength(1);
        var bodies = Enumerable.Range(0, connections).Select(c =>
        {
            var raws = new List<string>();
            for (var n = 0; n < perAccount; n++)
                for (var a = c; a < accountCount; a += connections) raws.Add(Hex.Encode(transactions[a, n].Encoded));
            return raws.Chunk(batchSize).Select(BatchBody).ToList();
        }).ToList();
        node.MarkLog();
        var cpuBefore = node.CpuTime;
        var runtimeBefore = await node.RuntimeAsync(http);
        var clock = Stopwatch.StartNew();
        var rejected = await Task.WhenAll(bodies.Select(async list =>
        {
            var errors = 0;
            foreach (var body in list) errors += await PostAsync(http, node.Url, body);
            return errors;
        }));
        var submitted = clock.Elapsed;
        await WaitForNoncesAsync(http, node.Url, senders.Select(s => s.Address).ToList(), _ => expectedNonce, TimeSpan.FromMinutes(5));
        var elapsed = clock.Elapsed;
        var total = accountCount * perAccount;
        var logWait = Stopwatch.StartNew();
        while (node.BlocksSinceMark().Sum(b => b.Count) < total && logWait.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(20);
        return new Phase(submitted, elapsed, total / elapsed.TotalSeconds, rejected.Sum(), node.BlocksSinceMark(), node.CpuTime - cpuBefore,
            await node.RuntimeAsync(http) - runtimeBefore);
    }

    public static string BatchBody(IEnumerable<string> raws)
    {
        var batch = new JsonArray();
        foreach (var raw in raws) batch.Add(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = batch.Count, ["method"] = "ext_sendRawTransaction", ["params"] = new JsonArray(raw) });
        return batch.ToJsonString();
    }

    /// <summary>Posts a batch and returns how many calls in it failed (printing the first failure).</summary>
    public static async Task<int> PostAsync(HttpClient http, string url, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(url, content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"node answered HTTP {(int)response.StatusCode}: {text}");
        if (JsonNode.Parse(text) is not JsonArray responses) throw new InvalidOperationException($"node answered {text}");
        var errors = responses.Where(r => r!["error"] is not null).ToList();
        if (errors.Count > 0) Console.Error.WriteLine($"rejected ({errors.Count}): {errors[0]!["error"]!.ToJsonString()}");
        return errors.Count;
    }

    public static async Task WaitForNoncesAsync(HttpClient http, string url, IReadOnlyList<Address> accounts, Func<int, ulong> expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var pending = Enumerable.Range(0, accounts.Count).ToList();
        while (pending.Count > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{pending.Count} accounts did not reach their nonce");
            var batch = new JsonArray(pending.Select(i => (JsonNode)new JsonObject { ["jsonrpc"] = "2.0", ["id"] = i, ["method"] = "ext_getNonce", ["params"] = new JsonArray(accounts[i].ToString()) }).ToArray());
            using var content = new StringContent(batch.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(url, content);
            var done = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray()
                .Where(r => r!["result"]!.GetValue<ulong>() >= expected(r["id"]!.GetValue<int>())).Select(r => r!["id"]!.GetValue<int>()).ToHashSet();
            pending.RemoveAll(done.Contains);
            if (pending.Count > 0) await Task.Delay(20);
        }
    }
}
