using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Integration.Tests;

/// <summary>
/// Every error code docs/rpc.md lists, as a request to a real node actually gets it (-32603,
/// internal error, excepted: no request should be able to cause one). The node makes no blocks,
/// so what is pending stays pending and each row sees the state the table set up.
/// </summary>
public sealed class RpcErrorCodeTests : IAsyncLifetime
{
    private readonly NodeProcess _node = new();
    private static readonly Address Bob = Wallet.Dev(9).Address;
    private static readonly BigInteger CurveOrder = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);

    public Task InitializeAsync() => _node.StartAsync("--block-interval-ms", "600000");

    public Task DisposeAsync()
    {
        _node.Dispose();
        return Task.CompletedTask;
    }

    private sealed record Case(string Name, Func<Task<(int Status, JsonNode? Body)>> Send, int Code, string Text, int HttpStatus = 200);

    private static string Request(string method, params JsonNode?[] parameters) =>
        new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = new JsonArray(parameters) }.ToJsonString();

    /// <summary>A transaction with the given signature bytes, otherwise well formed.</summary>
    private static string WithSignature(byte[] signature, int from = 0, ulong nonce = 0)
    {
        var unsigned = Transaction.EncodeUnsigned(Wallet.DevChainId, nonce, Wallet.Fee, new TransferPayload(Bob, "EXT", 1));
        return Hex.Encode(Rlp.AppendToList(unsigned, Rlp.EncodeBytes(signature)));
    }

    /// <summary>The same signature with s replaced by n - s (and the recovery id flipped): valid maths, refused form.</summary>
    private static string HighS()
    {
        var tx = Transaction.Decode(Hex.Decode(Wallet.Transfer(2, Bob, 1, 0)));
        var s = new BigInteger(tx.Signature.S, isUnsigned: true, isBigEndian: true);
        var high = (CurveOrder - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var bytes = new byte[65];
        tx.Signature.R.CopyTo(bytes, 0);
        high.CopyTo(bytes, 64 - high.Length);
        bytes[64] = (byte)(tx.Signature.RecoveryId ^ 1);
        return WithSignature(bytes, 2);
    }

    [Fact]
    public async Task Every_documented_error_code_is_what_a_request_gets()
    {
        var rpc = _node.Rpc;
        var bob = Bob.ToString();
        var typo = bob[..^1] + (bob[^1] == 'q' ? 'p' : 'q');
        var signature = Transaction.Decode(Hex.Decode(Wallet.Transfer(0, Bob, 1, 0))).Signature.ToBytes();
        var hugeName = new string('m', 1024 * 1024);

        // Set-up for the mempool rows: a pending transaction of account 1, and 1,000 (the per-account limit) of account 4.
        var pending = Wallet.Transfer(1, Bob, 1, 0);
        Assert.NotNull(await rpc.CallAsync("ext_sendRawTransaction", pending));
        var full = new JsonArray();
        for (ulong n = 0; n < 1_000; n++) full.Add(JsonNode.Parse(Request("ext_sendRawTransaction", Wallet.Transfer(4, Bob, 1, n))));
        var (_, fullAnswer) = await rpc.PostAsync(full.ToJsonString());
        Assert.All(fullAnswer!.AsArray(), r => Assert.Null(r!["error"]));

        byte[] Utf8Bad() => [.. Encoding.ASCII.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ext_getBalance\",\"params\":[\"ext1"), 0xff, 0xfe, .. Encoding.ASCII.GetBytes("\"]}")];
        IEnumerable<byte[]> ChunkedOverLimit()
        {
            var piece = RawHttp.Chunk(new byte[64 * 1024]);
            for (var i = 0; i < 9 * 16; i++) yield return piece; // 9 MiB, never finished
        }

        var cases = new Case[]
        {
            new("not JSON", () => rpc.PostAsync("{\"jsonrpc\":\"2.0\","), -32700, "parse error"),
            new("invalid UTF-8 in a string", () => rpc.PostBytesAsync(Utf8Bad()), -32700, "not valid UTF-8"),
            new("nesting deeper than 32", () => rpc.PostAsync(new string('[', 40) + new string(']', 40)), -32700, "parse error"),
            new("bad chunk size", () => RawHttp.PostChunkedAsync(_node.Port, ["zz\r\n{}\r\n"u8.ToArray(), RawHttp.LastChunk], TimeSpan.FromSeconds(20)), -32700, "could not be read", 400),
            new("no jsonrpc member", () => rpc.PostAsync("{\"id\":1,\"method\":\"ext_chainId\"}"), -32600, "jsonrpc must be"),
            new("method not a string", () => rpc.PostAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}"), -32600, "method must be a string"),
            new("empty batch", () => rpc.PostAsync("[]"), -32600, "empty batch"),
            new("subscription over HTTP", () => rpc.PostAsync(Request("ext_subscribe", "newHeads")), -32600, "WebSocket"),
            new("no such method", () => rpc.PostAsync(Request("ext_noSuchThing")), -32601, "ext_noSuchThing"),
            new("1 MB method name", () => rpc.PostAsync(Request(hugeName)), -32601, "(1048576 characters)"),
            new("address checksum", () => rpc.PostAsync(Request("ext_getBalance", typo)), -32602, "checksum"),
            new("address with a leading space", () => rpc.PostAsync(Request("ext_getBalance", " " + bob)), -32602, "leading or trailing space"),
            new("address with a trailing space", () => rpc.PostAsync(Request("ext_getNonce", Wallet.Dev(0).Address.ToHex() + " ")), -32602, "leading or trailing space"),
            new("bad hex", () => rpc.PostAsync(Request("ext_getTransaction", "0xzz")), -32602, "invalid hex"),
            new("unknown asset in a query", () => rpc.PostAsync(Request("ext_getBalance", bob, "NOPE")), -32602, "unknown asset NOPE"),
            new("1 MB asset name", () => rpc.PostAsync(Request("ext_getBalance", bob, hugeName)), -32602, "(1048576 characters)"),
            new("params not an array", () => rpc.PostAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ext_getBalance\",\"params\":{\"a\":1}}"), -32602, "params must be an array"),
            new("body over 8 MiB", () => rpc.PostAsync(Request("ext_chainId", new string('a', 9 * 1024 * 1024)), expectContinue: true), -32005, "request body exceeds", 413),
            new("chunked body over 8 MiB", () => RawHttp.PostChunkedAsync(_node.Port, ChunkedOverLimit(), TimeSpan.FromSeconds(30)), -32005, "request body exceeds", 413),
            new("batch of 2,001", () => rpc.PostAsync("[" + string.Join(',', Enumerable.Repeat(Request("ext_chainId"), 2_001)) + "]"), -32005, "exceeds the limit of 2000"),
            new("not RLP", () => rpc.PostAsync(Request("ext_sendRawTransaction", "0xc0")), -32010, "malformed transaction"),
            new("64-byte signature", () => rpc.PostAsync(Request("ext_sendRawTransaction", WithSignature(signature[..64]))), -32010, "a signature is 65 bytes"),
            new("recovery id 2", () => rpc.PostAsync(Request("ext_sendRawTransaction", WithSignature([.. signature[..64], 2]))), -32010, "recovery id must be 0 or 1"),
            new("wrong chain", () => rpc.PostAsync(Request("ext_sendRawTransaction", Wallet.Transfer(0, Bob, 1, 0, chainId: 1))), -32011, "wrong chain id 1"),
            new("high-S signature", () => rpc.PostAsync(Request("ext_sendRawTransaction", HighS())), -32012, "high-S"),
            new("signature of another message", () => rpc.PostAsync(Request("ext_sendRawTransaction", WithSignature(new byte[65]))), -32012, "invalid signature"),
            new("replacement without a higher fee", () => rpc.PostAsync(Request("ext_sendRawTransaction", Wallet.Transfer(1, Bob, 2, 0))), -32013, "is already used by pending transaction"),
            new("nonce gap", () => rpc.PostAsync(Request("ext_sendRawTransaction", Wallet.Transfer(0, Bob, 1, 3))), -32014, "next nonce for"),
            new("fee below the minimum", () => rpc.PostAsync(Request("ext_sendRawTransaction", Wallet.Transfer(0, Bob, 1, 0, fee: 1))), -32015, "below the minimum"),
            new("insufficient funds", () => rpc.PostAsync(Request("ext_sendRawTransaction", Wallet.Transfer(0, Bob, Amount.FromWhole(2_000_000), 0))), -32016, "insufficient EXT balance"),
            new("already pending", () => rpc.PostAsync(Request("ext_sendRawTransaction", pending)), -32017, "already pending"),
            new("mempool full for the account", () => rpc.PostAsync(Request("ext_sendRawTransaction", Wallet.Transfer(4, Bob, 1, 1_000))), -32018, "limit 1000"),
            new("transaction over 16 KiB", () => rpc.PostAsync(Request("ext_sendRawTransaction", Hex.Encode(Rlp.EncodeList(Rlp.EncodeUInt(Wallet.DevChainId), Rlp.EncodeUInt(0UL), Rlp.EncodeUInt(Wallet.Fee), Rlp.EncodeUInt(1UL), Rlp.EncodeBytes(new byte[17_000]), Rlp.EncodeBytes(signature))))), -32019, "more than the limit of 16384"),
            new("unknown asset in a transfer", () => rpc.PostAsync(Request("ext_sendRawTransaction", Wallet.Transfer(0, Bob, 1, 0, "NOPE"))), -32020, "unknown asset NOPE"),
        };

        var failures = new List<string>();
        foreach (var c in cases)
        {
            var (status, body) = await c.Send();
            var error = body?["error"];
            var code = error?["code"]?.GetValue<int>();
            var message = error?["message"]?.GetValue<string>() ?? "";
            if (code != c.Code || status != c.HttpStatus || !message.Contains(c.Text, StringComparison.Ordinal) || message.Length > 512)
                failures.Add($"{c.Name}: expected HTTP {c.HttpStatus} code {c.Code} with \"{c.Text}\", got HTTP {status} {(body is null ? "(no body)" : RpcTextPrefix(body.ToJsonString()))}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));

        // Nothing was admitted but the set-up's transactions, and no request made the node log a failure.
        Assert.Equal(1_001, (await rpc.CallAsync("ext_nodeInfo"))!["mempoolSize"]!.GetValue<int>());
        Assert.True(await rpc.IsHealthyAsync());
        Assert.DoesNotContain("fail:", _node.Output);
    }

    private static string RpcTextPrefix(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
