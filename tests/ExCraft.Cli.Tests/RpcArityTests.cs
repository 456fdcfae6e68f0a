using System.Text.Json;
using ExCraft.Rpc.JsonRpc;
using ExCraft.Rpc.Methods;

namespace ExCraft.Cli.Tests;

/// <summary>Every JSON-RPC method refuses more positional parameters than it takes, with -32602, before its handler runs.</summary>
public class RpcArityTests
{
    private static RpcParams Params(string method, string json) => new(method, JsonDocument.Parse(json).RootElement.Clone());

    [Fact]
    public void Extra_positional_parameters_are_refused_and_the_handler_does_not_run()
    {
        var registry = new RpcMethodRegistry();
        var calls = 0;
        registry.Add("ext_chainId", 0, (_, _) => ++calls);
        Assert.True(registry.TryGet("ext_chainId", out var handler));
        var e = Assert.Throws<RpcException>(() => handler(Params("ext_chainId", "[1]"), new RpcCallContext(null)));
        Assert.Equal(RpcErrorCodes.InvalidParams, e.Code);
        Assert.Equal("ext_chainId: takes at most 0 parameters, got 1", e.Message);
        Assert.Equal(0, calls);
        Assert.NotNull(handler(Params("ext_chainId", "[]"), new RpcCallContext(null)));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Every_registered_method_has_a_limit()
    {
        // The handlers never run here (the limit refuses first), so the services behind them may be absent.
        var registry = new RpcMethodRegistry();
        new ExtMethods(null!, null!, null!, null!, null!).Register(registry);
        new StakingMethods(null!).Register(registry);
        new HtlcMethods(null!).Register(registry);
        new SwapOfferMethods(null!).Register(registry);
        new EmissionMethods(null!, null!).Register(registry);
        new MarketMethods(null!).Register(registry);
        new KycMethods(null!).Register(registry);
        new PoolMethods(null!, null!).Register(registry);
        new PoeMethods(null!).Register(registry);
        new MarketAgentMethods(null!).Register(registry);
        Assert.NotEmpty(registry.Names);
        foreach (var name in registry.Names)
        {
            registry.TryGet(name, out var handler);
            var e = Assert.Throws<RpcException>(() => handler(Params(name, "[1,2,3,4,5,6,7,8,9]"), new RpcCallContext(null)));
            Assert.Equal(RpcErrorCodes.InvalidParams, e.Code);
            Assert.Contains("takes at most", e.Message);
        }
    }
}
