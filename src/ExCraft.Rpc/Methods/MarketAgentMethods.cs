using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc.Methods;

/// <summary>
/// Agent keys of the markets module (docs/markets.md, "Agent keys"): `market_agents(account)`
/// lists the keys an account has authorized to trade for it, with the height each authorization
/// expires at (the agent may act in blocks below it), by agent address. Expired ones stay listed
/// until revoked or replaced, with `active` false.
/// </summary>
public sealed class MarketAgentMethods(Blockchain chain)
{
    public void Register(RpcMethodRegistry registry)
    {
        registry.Add("market_agents", 1, (p, _) =>
        {
            var account = p.Address(0, "account");
            var nextHeight = chain.Head.Height + 1;
            return new JsonArray(MarketsModule.Queries(chain.State).Agents(account).Select(a => (JsonNode)new JsonObject
            {
                ["agent"] = a.Agent.ToString(),
                ["expiryHeight"] = a.ExpiryHeight,
                ["active"] = a.ExpiryHeight > nextHeight,
            }).ToArray());
        });
    }
}
