using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Integration.Tests;

/// <summary>Every kind of bad input gets its own error code and message, changes nothing and leaves the node serving.</summary>
public sealed class RpcBadInputTests : NodeTest
{
    private static readonly Address Bob = Wallet.Dev(1).Address;

    private static (int Code, string Message, string? Reason) ErrorOf(JsonNode response)
    {
        var error = response["error"] ?? throw new Xunit.Sdk.XunitException($"expected an error, got {response.ToJsonString()}");
        return (error["code"]!.GetValue<int>(), error["message"]!.GetValue<string>(), error["data"]?["reason"]?.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_requests_get_json_rpc_errors()
    {
        var (_, parse) = await Rpc.PostAsync("{\"jsonrpc\":\"2.0\",");
        Assert.Equal(-32700, ErrorOf(parse!).Code);

        var (_, noVersion) = await Rpc.PostAsync("{\"id\":1,\"method\":\"ext_chainId\"}");
        Assert.Equal(-32600, ErrorOf(noVersion!).Code);

        var unknown = ErrorOf(await Rpc.CallRawAsync("ext_noSuchThing"));
        Assert.Equal(-32601, unknown.Code);
        Assert.Contains("ext_noSuchThing", unknown.Message);

        var (_, empty) = await Rpc.PostAsync("[]");
        Assert.Equal(-32600, ErrorOf(empty!).Code);

        var tooMany = new JsonArray();
        for (var i = 0; i < 2_001; i++) tooMany.Add(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = i, ["method"] = "ext_chainId" });
        var (_, batch) = await Rpc.PostAsync(tooMany.ToJsonString());
        Assert.Equal(-32005, ErrorOf(batch!).Code);

        var (status, huge) = await Rpc.PostAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ext_chainId\",\"params\":[\"" + new string('a', 9 * 1024 * 1024) + "\"]}", expectContinue: true);
        Assert.Equal(413, status);
        Assert.Equal(-32005, ErrorOf(huge!).Code);
    }

    [Fact]
    public async Task Bad_parameters_name_the_problem()
    {
        var address = Bob.ToString();
        var typo = address[..^1] + (address[^1] == 'q' ? 'p' : 'q');
        var checksum = ErrorOf(await Rpc.CallRawAsync("ext_getBalance", typo));
        Assert.Equal(-32602, checksum.Code);
        Assert.Contains("checksum", checksum.Message);

        var asset = ErrorOf(await Rpc.CallRawAsync("ext_getBalance", address, "NOPE"));
        Assert.Contains("unknown asset NOPE", asset.Message);

        var hash = ErrorOf(await Rpc.CallRawAsync("ext_getTransaction", "0x1234"));
        Assert.Contains("32 bytes", hash.Message);

        Assert.Null((await Rpc.CallRawAsync("ext_getTransaction", "0x" + new string('0', 64)))["result"]);
        Assert.Null((await Rpc.CallRawAsync("ext_getBlockByNumber", 1_000_000))["result"]);
        Assert.Contains("WebSocket", ErrorOf(await Rpc.CallRawAsync("ext_subscribe", "newHeads")).Message);
    }

    [Fact]
    public async Task Rejected_transactions_have_specific_codes_and_change_nothing()
    {
        var aliceBefore = await Rpc.BalanceAsync(Wallet.Dev(0).Address.ToString());
        var bobBefore = await Rpc.BalanceAsync(Bob.ToString());

        async Task Expect(string raw, int code, string reason, string text)
        {
            var (c, message, r) = ErrorOf(await Rpc.CallRawAsync("ext_sendRawTransaction", raw));
            Assert.Equal(code, c);
            Assert.Equal(reason, r);
            Assert.Contains(text, message);
        }

        await Expect("0xc0", -32010, "malformed", "malformed transaction");
        await Expect("0xzz", -32602, null!, "invalid hex");
        await Expect(Wallet.Transfer(0, Bob, 1, 0, chainId: 1), -32011, "wrong_chain", "wrong chain id 1");
        await Expect(Wallet.Transfer(0, Bob, 1, 3), -32014, "nonce_gap", "next nonce for");
        await Expect(Wallet.Transfer(0, Bob, 1, 0, fee: 1), -32015, "fee_too_low", "below the minimum");
        await Expect(Wallet.Transfer(0, Bob, Amount.FromWhole(2_000_000), 0), -32016, "insufficient_funds", "insufficient EXT balance");
        await Expect(Wallet.Transfer(0, Bob, 1, 0, "NOPE"), -32020, "unknown_asset", "unknown asset NOPE");
        await Expect(Wallet.Sign(0, new IssueAssetPayload("bad", 2, 1), 0), -32010, "malformed", "asset symbol");

        // The same transaction twice in one batch: the second is a duplicate of a pending one. The
        // batch admits its transactions one by one, and a block may commit the first before the
        // second is admitted (a slow machine can pause the request between the two): then the
        // second's nonce is used, and the first has its receipt.
        var ok = Wallet.Transfer(0, Bob, 1, 0);
        var twice = new JsonArray();
        for (var i = 0; i < 2; i++) twice.Add(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = i, ["method"] = "ext_sendRawTransaction", ["params"] = new JsonArray(ok) });
        var answers = (await Rpc.PostAsync(twice.ToJsonString())).Body!.AsArray();
        var hash = answers[0]!["result"]!.GetValue<string>();
        var repeat = ErrorOf(answers[1]!);
        if (repeat.Reason == "duplicate")
        {
            Assert.Equal(-32017, repeat.Code);
            Assert.Contains("already pending", repeat.Message);
        }
        else
        {
            Assert.Equal((-32013, "nonce_too_low"), (repeat.Code, repeat.Reason));
            Assert.Equal("success", (await Rpc.CallAsync("ext_getTransactionReceipt", hash))!["status"]!.GetValue<string>());
        }
        Assert.Equal("success", (await Rpc.WaitForReceiptAsync(hash))["status"]!.GetValue<string>());
        await Expect(Wallet.Transfer(0, Bob, 7, 0), -32013, "nonce_too_low", "nonce too low");

        Assert.Equal((UInt128.Parse(bobBefore) + 1).ToString(), await Rpc.BalanceAsync(Bob.ToString()));
        Assert.Equal((UInt128.Parse(aliceBefore) - 1 - Wallet.Fee).ToString(), await Rpc.BalanceAsync(Wallet.Dev(0).Address.ToString()));
        Assert.True(await Rpc.IsHealthyAsync());
    }
}
