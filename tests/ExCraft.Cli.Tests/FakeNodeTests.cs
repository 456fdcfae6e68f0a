using System.Text.Json.Nodes;

namespace ExCraft.Cli.Tests;

/// <summary>Transport and waiting behaviour against a fake JSON-RPC endpoint.</summary>
public sealed class FakeNodeTests
{
    private const string Dev1 = "ext1etsxkf5eatvhyuv2xfz5vtyqz02g0lje33fz9m";

    [Fact]
    public async Task Wait_gives_up_after_the_timeout_with_exit_6()
    {
        string? sentHash = null;
        using var server = new FakeRpcServer((method, id) => method switch
        {
            "ext_chainId" => FakeRpcServer.Result(id, 9545),
            "ext_getNonce" => FakeRpcServer.Result(id, 0),
            "ext_getAsset" => FakeRpcServer.Result(id, new JsonObject { ["symbol"] = "EXT", ["decimals"] = 18 }),
            "ext_sendRawTransaction" => FakeRpcServer.Result(id, sentHash = "0x" + new string('a', 64)),
            "ext_getTransactionReceipt" => FakeRpcServer.Result(id, null),
            _ => throw new InvalidOperationException(method),
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = await TestCli.RunExpectingAsync(6, "transfer", "--from", "dev:0", "--to", Dev1, "--amount", "1", "--wait", "--timeout", "1", "--rpc", server.Url);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        Assert.StartsWith($"excraft: transaction {sentHash} was not in a block after 1 s", run.Error);
    }

    [Fact]
    public async Task A_body_that_is_not_json_rpc_exits_2()
    {
        using var server = new FakeRpcServer((_, _) => "<html>proxy error</html>");
        var run = await TestCli.RunExpectingAsync(2, "nonce", Dev1, "--rpc", server.Url);
        Assert.StartsWith($"excraft: {server.Url}/ did not answer ext_getNonce with JSON-RPC", run.Error);
    }

    [Fact]
    public async Task A_json_rpc_error_exits_3_with_code_and_message()
    {
        using var server = new FakeRpcServer((_, id) => new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id?.DeepClone(),
            ["error"] = new JsonObject { ["code"] = -32602, ["message"] = "ext_getBalance: unknown asset NOPE" },
        }.ToJsonString());
        var run = await TestCli.RunExpectingAsync(3, "balance", Dev1, "--asset", "NOPE", "--rpc", server.Url);
        Assert.Equal("excraft: node error -32602: ext_getBalance: unknown asset NOPE", run.Error.TrimEnd());
    }
}
