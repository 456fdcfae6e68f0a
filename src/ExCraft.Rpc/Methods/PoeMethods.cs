using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Modules.Poe;
using ExCraft.Core.Encoding;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc.Methods;

/// <summary>
/// The PoE module's methods (docs/rpc.md "PoE methods", docs/poe.md): a closed epoch's report
/// (paged), its root, an account's entry with its Merkle proof, an account's PoE over a range of
/// epochs, the closing prices, the genesis parameters. Asking for an epoch that has not closed is -32602 saying so.
/// </summary>
public sealed class PoeMethods(Blockchain chain)
{
    public const int MaxPageSize = 1_000;

    private PoeQueries Queries => PoeModule.Queries(chain.State);

    public void Register(RpcMethodRegistry registry)
    {
        registry.Add("poe_getReport", 3, (p, _) =>
        {
            var epoch = Epoch(p, 0, "epoch");
            var from = p.Optional(1) is null ? 0 : Epoch(p, 1, "from");
            var limit = p.Int(2, "limit", 100, 1, MaxPageSize);
            var q = Queries;
            var (summary, entries, markets, prices) = Closed(epoch, () => (q.Summary(epoch), q.Entries(epoch, from, limit), q.Markets(epoch), q.ClosingPrices(epoch)));
            var result = Summary(summary);
            result["from"] = from;
            result["entryList"] = new JsonArray(entries.Select((e, i) => (JsonNode)Entry(e, from + (ulong)i)).ToArray());
            result["next"] = from + (ulong)entries.Count < summary.Entries ? from + (ulong)entries.Count : null;
            result["markets"] = new JsonArray(markets.Select(m => (JsonNode)Market(m)).ToArray());
            result["closingPrices"] = new JsonArray(prices.Select(c => (JsonNode)Price(c)).ToArray());
            return result;
        });
        registry.Add("poe_getRoot", 1, (p, _) =>
        {
            var epoch = Epoch(p, 0, "epoch");
            var s = Closed(epoch, () => Queries.Summary(epoch));
            return new JsonObject { ["epoch"] = s.Epoch, ["root"] = Hex.Encode(s.Root), ["entries"] = s.Entries };
        });
        registry.Add("poe_getEntry", 2, (p, _) =>
        {
            var epoch = Epoch(p, 0, "epoch");
            var account = p.Address(1, "account");
            var found = Closed(epoch, () => Queries.EntryWithProof(epoch, account));
            if (found is null) return null;
            return new JsonObject
            {
                ["epoch"] = epoch,
                ["account"] = found.Account.ToString(),
                ["root"] = Hex.Encode(found.Summary.Root),
                ["entries"] = found.Summary.Entries,
                ["entry"] = Entry(found.Entry, found.Position),
                ["leaf"] = Hex.Encode(found.Entry.LeafHash()),
                ["proof"] = new JsonArray(found.Proof.Select(s => (JsonNode)new JsonObject
                {
                    ["hash"] = Hex.Encode(s.Sibling),
                    ["side"] = s.SiblingIsLeft ? "left" : "right",
                }).ToArray()),
            };
        });
        registry.Add("poe_getAccount", 3, (p, _) =>
        {
            var account = p.Address(0, "account");
            var first = Epoch(p, 1, "first");
            var last = Epoch(p, 2, "last");
            if (first > last) throw new RpcException(RpcErrorCodes.InvalidParams, $"poe_getAccount: first epoch {first} is after last epoch {last}");
            if (last - first >= MaxPageSize) throw new RpcException(RpcErrorCodes.InvalidParams, $"poe_getAccount: at most {MaxPageSize} epochs at once");
            return new JsonArray(Queries.AccountRange(account, first, last).Select(l => (JsonNode)new JsonObject
            {
                ["epoch"] = l.Epoch,
                ["closed"] = l.Closed,
                ["traded"] = l.Traded,
                ["poe"] = ChainJson.Units(l.Poe),
                ["reward"] = ChainJson.Units(l.Reward),
            }).ToArray());
        });
        registry.Add("poe_getClosingPrices", 1, (p, _) =>
        {
            var epoch = Epoch(p, 0, "epoch");
            return new JsonArray(Closed(epoch, () => Queries.ClosingPrices(epoch)).Select(c => (JsonNode)Price(c)).ToArray());
        });
        registry.Add("poe_getParams", 0, (_, _) => new JsonObject
        {
            ["referenceAsset"] = chain.Genesis.Poe.ReferenceAsset,
            ["washCapPpm"] = chain.Genesis.Poe.WashCapPpm,
            ["closeChunkAccounts"] = chain.Genesis.Poe.CloseChunkAccounts,
        });
        registry.Add("poe_status", 0, (_, _) =>
        {
            var q = Queries;
            var closing = q.Closing;
            return new JsonObject
            {
                ["openEpoch"] = q.OpenEpoch, ["lastClosedEpoch"] = q.LastClosedEpoch,
                // the close running now (docs/poe.md, "The close spread over blocks"): null when no close runs
                ["closing"] = closing is { } c ? new JsonObject { ["epoch"] = c.Epoch, ["accountsDone"] = c.Done, ["accounts"] = c.Accounts } : null,
            };
        });
    }

    /// <summary>Runs a read of a closed epoch; an epoch without a report is invalid params with the reason.</summary>
    private static T Closed<T>(ulong epoch, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (PoeEpochNotClosedException e)
        {
            throw new RpcException(RpcErrorCodes.InvalidParams, $"poe: {e.Message}");
        }
    }

    /// <summary>An epoch (or position) as a non-negative JSON integer.</summary>
    private static ulong Epoch(RpcParams p, int index, string name)
    {
        var value = p.Required(index, name);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var epoch)) return epoch;
        throw new RpcException(RpcErrorCodes.InvalidParams, $"poe: parameter {index} ({name}) must be a non-negative integer");
    }

    private static JsonObject Summary(PoeReportSummary s) => new()
    {
        ["epoch"] = s.Epoch,
        ["root"] = Hex.Encode(s.Root),
        ["entries"] = s.Entries,
        ["available"] = ChainJson.Units(s.Available),
        ["washCapPpm"] = s.WashCapPpm,
        ["eligiblePoe"] = ChainJson.Units(s.EligiblePoe),
        ["totalPoe"] = ChainJson.Units(s.TotalPoe),
        ["paid"] = ChainJson.Units(s.Paid),
        ["heldByGuard"] = ChainJson.Units(s.HeldByGuard),
        ["rewarded"] = s.RewardedAccounts,
    };

    private static JsonObject Entry(PoeEntry e, ulong position) => new()
    {
        ["position"] = position,
        ["maskedId"] = Hex.Encode(e.MaskedId),
        ["poe"] = ChainJson.Units(e.Poe),
        ["buys"] = e.Buys,
        ["sells"] = e.Sells,
        ["registered"] = e.Registered,
        ["feesValue"] = ChainJson.Units(e.FeesValue),
        ["reward"] = ChainJson.Units(e.Reward),
    };

    private static JsonObject Market(MarketTally m) => new()
    {
        ["market"] = $"{m.Base}/{m.Quote}",
        ["trades"] = m.Trades,
        ["takerBuys"] = m.TakerBuys,
        ["takerSells"] = m.TakerSells,
        ["baseVolume"] = ChainJson.Units(m.BaseVolume),
        ["quoteVolume"] = ChainJson.Units(m.QuoteVolume),
        ["lastPrice"] = ChainJson.Units(m.LastPrice),
    };

    private static JsonObject Price(ClosingPrice c) => new()
    {
        ["asset"] = c.Asset,
        ["decimals"] = c.Decimals,
        ["price"] = ChainJson.Units(c.Price),
        ["source"] = ClosingPrice.SourceName(c.Source),
        ["via"] = c.Source == PriceSource.Intermediate ? c.Via : null,
        ["fromEpoch"] = c.Source == PriceSource.Carried ? c.FromEpoch : null,
    };
}
