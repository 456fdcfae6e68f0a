using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Accounts;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Rpc.Methods;

/// <summary>
/// JSON shapes of chain objects (docs/rpc.md). Amounts are base-unit integers as decimal strings,
/// hashes and bytes 0x-hex, addresses bech32.
/// </summary>
public static class ChainJson
{
    public static string Units(UInt128 value) => value.ToString(CultureInfo.InvariantCulture);

    public static JsonObject Header(BlockHeader h) => new()
    {
        ["hash"] = Hex.Encode(h.Hash),
        ["height"] = h.Height,
        ["chainId"] = h.ChainId,
        ["timeMs"] = h.TimeMs,
        ["previousHash"] = Hex.Encode(h.PreviousHash),
        ["transactionsRoot"] = Hex.Encode(h.TransactionsRoot),
        ["appHash"] = Hex.Encode(h.AppHash),
        ["proposer"] = h.Proposer.ToString(),
    };

    public static JsonObject Block(Block block, bool fullTransactions, Func<Transaction, Address?> senderOf)
    {
        var json = Header(block.Header);
        var txs = new JsonArray();
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            var tx = block.Transactions[i];
            txs.Add(fullTransactions ? Transaction(tx, senderOf(tx), block.Height, i) : JsonValue.Create(Hex.Encode(tx.Hash)));
        }
        json["transactions"] = txs;
        json["lastCommit"] = Commit(block.LastCommit);
        return json;
    }

    public static JsonObject Commit(Commit commit) => new()
    {
        ["height"] = commit.Height,
        ["round"] = commit.Round,
        ["blockHash"] = Hex.Encode(commit.BlockHash),
        ["signatures"] = new JsonArray(commit.Signatures.Select(s => (JsonNode)new JsonObject
        {
            ["validator"] = s.Validator.ToString(),
            ["signature"] = Hex.Encode(s.Signature.ToBytes()),
        }).ToArray()),
    };

    public static JsonObject Transaction(Transaction tx, Address? sender, ulong? height, int? index) => new()
    {
        ["hash"] = Hex.Encode(tx.Hash),
        ["from"] = sender?.ToString(),
        ["chainId"] = tx.ChainId,
        ["nonce"] = tx.Nonce,
        ["fee"] = Units(tx.Fee),
        ["kind"] = KindName(tx.Kind),
        ["payload"] = Payload(tx.Payload),
        ["signature"] = Hex.Encode(tx.Signature.ToBytes()),
        ["blockHeight"] = height,
        ["index"] = index,
        ["pending"] = height is null,
        ["raw"] = Hex.Encode(tx.Encoded),
    };

    public static string KindName(TxKind kind) => TxPayloadCatalog.NameOf(kind);

    /// <summary>A payload as a JSON object of its self-described fields, in order (no per-kind code).</summary>
    public static JsonObject Payload(TxPayload payload)
    {
        var json = new JsonObject();
        foreach (var field in payload.Describe()) json[field.Name] = FieldValue(field);
        return json;
    }

    /// <summary>Integers and rates are JSON numbers, booleans JSON booleans, everything else text (amounts as base-unit decimal strings).</summary>
    public static JsonNode? FieldValue(PayloadField field) => field.Value switch
    {
        ulong n when field.Type is PayloadFieldType.Integer or PayloadFieldType.Ppm => JsonValue.Create(n),
        uint n when field.Type is PayloadFieldType.Integer or PayloadFieldType.Ppm => JsonValue.Create(n),
        bool b => JsonValue.Create(b),
        _ => JsonValue.Create(field.ValueText),
    };

    public static JsonObject Receipt(Receipt r) => new()
    {
        ["transactionHash"] = Hex.Encode(r.TransactionHash),
        ["blockHeight"] = r.Height,
        ["index"] = r.Index,
        ["from"] = r.Sender.ToString(),
        ["status"] = r.Success ? "success" : "failed",
        ["feePaid"] = Units(r.FeePaid),
        ["error"] = r.Success ? null : r.Error,
        ["events"] = new JsonArray(r.Events.Select(e => (JsonNode)Event(e)).ToArray()),
    };

    public static JsonObject Event(ChainEvent e)
    {
        var attributes = new JsonObject();
        foreach (var (key, value) in e.Attributes) attributes[key] = value;
        return new JsonObject { ["type"] = e.Type, ["attributes"] = attributes };
    }

    public static JsonObject Asset(AssetInfo a) => new()
    {
        ["symbol"] = a.Symbol,
        ["decimals"] = a.Decimals,
        ["supply"] = Units(a.Supply),
        ["issuer"] = a.Issuer.ToString(),
        ["issuedAtHeight"] = a.IssuedAtHeight,
    };

    public static JsonObject Balance(AccountBalance b) => new()
    {
        ["address"] = b.Account.ToString(),
        ["asset"] = b.Asset,
        ["balance"] = Units(b.Balance),
        ["decimals"] = (int)b.Decimals,
        ["formatted"] = Amount.Format(b.Balance, b.Decimals),
    };
}
