using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Modules.Htlc;
using ExCraft.Core.Encoding;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc.Methods;

/// <summary>The htlc module's methods (docs/rpc.md, docs/htlc.md): one HTLC, an account's HTLCs, the HTLCs under a hash lock, the escrow totals.</summary>
public sealed class HtlcMethods(Blockchain chain)
{
    private HtlcQueries Queries => HtlcModule.Queries(chain.State);

    public void Register(RpcMethodRegistry registry)
    {
        registry.Add("htlc_get", 1, (p, _) => Queries.Get(p.Hash(0, "id")) is { } htlc ? Htlc(htlc, chain.Head.Height) : null);
        registry.Add("htlc_listByAccount", 3, (p, _) =>
        {
            var account = p.Address(0, "account");
            var limit = p.Int(1, "limit", HtlcQueries.MaxPageSize, 1, HtlcQueries.MaxPageSize);
            var after = p.Optional(2) is null ? null : p.Hash(2, "after");
            var head = chain.Head.Height;
            var page = Queries.ByAccount(account, limit, after);
            return new JsonObject
            {
                ["htlcs"] = new JsonArray(page.Htlcs.Select(h => (JsonNode)Htlc(h, head)).ToArray()),
                ["next"] = page.Next is null ? null : Hex.Encode(page.Next),
            };
        });
        registry.Add("htlc_getByHashLock", 1, (p, _) =>
        {
            var hashLock = p.Hash(0, "hash lock");
            var head = chain.Head.Height;
            return new JsonArray(Queries.ByHashLock(hashLock).Select(h => (JsonNode)Htlc(h, head)).ToArray());
        });
        registry.Add("htlc_getLocked", 0, (_, _) => new JsonArray(Queries.AllLocked()
            .Select(l => (JsonNode)new JsonObject { ["asset"] = l.Asset, ["amount"] = ChainJson.Units(l.Amount) }).ToArray()));
    }

    /// <summary>An HTLC as JSON; timedOut says whether the next block is at or past the timeout height (only a refund can then succeed).</summary>
    public static JsonObject Htlc(HtlcRecord h, ulong headHeight) => new()
    {
        ["id"] = Hex.Encode(h.Id),
        ["sender"] = h.Sender.ToString(),
        ["recipient"] = h.Recipient.ToString(),
        ["refundAddress"] = h.RefundAddress.ToString(),
        ["asset"] = h.Asset,
        ["amount"] = ChainJson.Units(h.Amount),
        ["hashLock"] = Hex.Encode(h.HashLock),
        ["timeoutHeight"] = h.TimeoutHeight,
        ["lockHeight"] = h.LockHeight,
        ["status"] = h.Status.ToString().ToLowerInvariant(),
        ["timedOut"] = headHeight + 1 >= h.TimeoutHeight,
        ["preimage"] = h.Preimage is null ? null : Hex.Encode(h.Preimage),
        ["settledHeight"] = h.Status == HtlcStatus.Locked ? null : h.SettledHeight,
    };
}
