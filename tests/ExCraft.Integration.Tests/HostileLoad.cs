using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Integration.Tests;

/// <summary>
/// The requests a careless or hostile client sends, as one round: bad input of every kind,
/// oversized bodies (declared and chunked), deep JSON, the largest batches, and WebSocket clients
/// that subscribe to everything, send oversized messages and never read. Each answer is checked
/// to be the documented error, so a round that silently stops working fails.
/// </summary>
public sealed class HostileLoad(NodeProcess node)
{
    public int Requests { get; private set; }

    public async Task RunRoundAsync(int scale, CancellationToken cancel)
    {
        var rpc = node.Rpc;
        var bob = Wallet.Dev(9).Address.ToString();
        var big = Request(new string('m', 1024 * 1024));
        var balanceBatch = "[" + string.Join(',', Enumerable.Range(0, 2_000).Select(i => Request("ext_getBalance", Wallet.Dev(i % 10).Address.ToString()))) + "]";
        var overBatch = "[" + string.Join(',', Enumerable.Repeat(Request("ext_chainId"), 2_001)) + "]";
        var signature = Hex.Decode(Wallet.Transfer(0, Wallet.Dev(9).Address, 1, 0))[^65..];
        var oversizedTx = Request("ext_sendRawTransaction", Hex.Encode(Rlp.EncodeList(Rlp.EncodeUInt(Wallet.DevChainId), Rlp.EncodeUInt(0UL), Rlp.EncodeUInt(Wallet.Fee), Rlp.EncodeUInt(1UL), Rlp.EncodeBytes(new byte[17_000]), Rlp.EncodeBytes(signature))));
        byte[] badUtf8 = [.. Encoding.ASCII.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ext_getBalance\",\"params\":[\""), 0xc3, 0x28, .. Encoding.ASCII.GetBytes("\"]}")];

        // Small bad requests, several at a time (the bulk of the count).
        await Parallel.ForEachAsync(Enumerable.Range(0, 250 * scale), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancel }, async (i, _) =>
        {
            var (code, _) = (i % 8) switch
            {
                0 => await Expect(rpc.PostBytesAsync(badUtf8), -32700),
                1 => await Expect(rpc.PostAsync(new string('[', 5_000) + new string(']', 5_000)), -32700),
                2 => await Expect(rpc.PostAsync(Request("ext_getBalance", " " + bob)), -32602),
                3 => await Expect(rpc.PostAsync(Request("ext_sendRawTransaction", "0xc0")), -32010),
                4 => await Expect(rpc.PostAsync(oversizedTx), -32019),
                5 => await Expect(rpc.PostAsync("{\"jsonrpc\":\"2.0\","), -32700),
                6 => await Expect(RawHttp.PostChunkedAsync(node.Port, ["zz\r\n{}\r\n"u8.ToArray(), RawHttp.LastChunk], TimeSpan.FromSeconds(20)), -32700),
                _ => await Expect(rpc.PostAsync(Request("ext_getNonce", bob, new string('x', 10_000))), -32602),
            };
            Count(1);
        });

        // Large ones, fewer and two at a time.
        await Parallel.ForEachAsync(Enumerable.Range(0, 8 * scale), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancel }, async (i, _) =>
        {
            switch (i % 4)
            {
                case 0: await Expect(rpc.PostAsync(big), -32601); break;
                case 1: await Expect(rpc.PostAsync(overBatch), -32005); break;
                case 2: await Expect(RawHttp.PostChunkedAsync(node.Port, ChunkedOverLimit(), TimeSpan.FromSeconds(30)), -32005); break;
                default:
                    var (_, answers) = await rpc.PostAsync(balanceBatch);
                    if (answers!.AsArray().Count != 2_000) throw new InvalidOperationException("a batch of 2,000 balance reads lost answers");
                    break;
            }
            var (status, _) = await rpc.PostAsync(Request("ext_chainId", new string('a', 9 * 1024 * 1024)), expectContinue: true);
            if (status != 413) throw new InvalidOperationException($"a 9 MiB body got HTTP {status}");
            Count(2);
        });

        // WebSocket clients that subscribe to the most they may, read nothing while they send a large
        // and then an oversized message, and drop the connection once the node has closed it.
        await Parallel.ForEachAsync(Enumerable.Range(0, 4 * scale), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancel }, async (_, _) =>
        {
            using var ws = new ClientWebSocket();
            await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{node.Port}/ws"), cancel);
            for (var k = 0; k < 64; k++)
            {
                var subscribe = k % 2 == 0 ? Request("ext_subscribe", "newHeads") : Request("ext_subscribe", "accountEvents", bob);
                await ws.SendAsync(Encoding.UTF8.GetBytes(subscribe), WebSocketMessageType.Text, true, cancel);
            }
            await ws.SendAsync(Encoding.UTF8.GetBytes(big), WebSocketMessageType.Text, true, cancel);
            try
            {
                var chunk = new byte[1024 * 1024];
                for (var k = 0; k < 9; k++) await ws.SendAsync(chunk, WebSocketMessageType.Text, k == 8, cancel);
            }
            catch (WebSocketException)
            {
                // The node may close the connection before the last chunk is through.
            }
            await ExpectClosedForSizeAsync(ws, cancel);
            ws.Abort();
            Count(66);
        });
    }

    /// <summary>
    /// Reads what the node sent before it closed the connection: answers to the subscriptions (all
    /// within the limit of 64, so no error), the method-not-found answer to the large message,
    /// notifications, and then the close for the oversized message, with its status and reason.
    /// (How many answers come before the close depends on timing; that they are right does not.)
    /// </summary>
    private static async Task ExpectClosedForSizeAsync(ClientWebSocket ws, CancellationToken cancel)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        var subscribed = 0;
        while (true)
        {
            var received = await ws.ReceiveAsync(buffer, bound.Token);
            if (received.MessageType == WebSocketMessageType.Close) break;
            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage) continue;
            var json = JsonNode.Parse(message.ToArray())!;
            message.SetLength(0);
            if (json["method"]?.GetValue<string>() == "ext_subscription") continue;
            if (json["error"] is { } error)
            {
                if (error["code"]!.GetValue<int>() != -32601) throw new InvalidOperationException($"unexpected WebSocket answer: {Cut(json.ToJsonString())}");
            }
            else if (json["result"]?.GetValue<string>() is { Length: > 0 }) subscribed++;
            else throw new InvalidOperationException($"unexpected WebSocket message: {Cut(json.ToJsonString())}");
        }
        if (ws.CloseStatus != WebSocketCloseStatus.MessageTooBig || ws.CloseStatusDescription != "message exceeds 8388608 bytes")
            throw new InvalidOperationException($"the node closed with {ws.CloseStatus} '{ws.CloseStatusDescription}', not for the oversized message ({subscribed} subscriptions answered before)");
    }

    private static string Cut(string text) => text[..Math.Min(300, text.Length)];

    private static IEnumerable<byte[]> ChunkedOverLimit()
    {
        var piece = RawHttp.Chunk(new byte[256 * 1024]);
        for (var i = 0; i < 36; i++) yield return piece; // 9 MiB, never finished
    }

    private void Count(int n)
    {
        lock (this) Requests += n;
    }

    private static async Task<(int Status, JsonNode? Body)> Expect(Task<(int Status, JsonNode? Body)> sending, int code)
    {
        var answer = await sending;
        var got = answer.Body?["error"]?["code"]?.GetValue<int>();
        if (got != code)
        {
            var text = answer.Body?.ToJsonString() ?? "(no body)";
            throw new InvalidOperationException($"expected error {code}, got HTTP {answer.Status} {text[..Math.Min(300, text.Length)]}");
        }
        return answer;
    }

    private static string Request(string method, params JsonNode?[] parameters) =>
        new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = new JsonArray(parameters) }.ToJsonString();
}
