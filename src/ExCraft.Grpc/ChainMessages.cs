using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Core;
using ExCraft.Core.Blocks;
using Google.Protobuf;
using V1 = ExCraft.Grpc.V1;

namespace ExCraft.Grpc;

/// <summary>
/// Chain objects as gRPC messages: the same fields as JSON-RPC's shapes (ChainJson), amounts as
/// base-unit decimal strings, hashes as bytes, addresses bech32.
/// </summary>
public static class ChainMessages
{
    public static string Units(UInt128 value) => ExCraft.Rpc.Methods.ChainJson.Units(value); // one decimal-string format for both APIs

    public static ByteString Bytes(byte[] value) => ByteString.CopyFrom(value);

    public static V1.BlockHeader Header(BlockHeader h) => new()
    {
        Hash = Bytes(h.Hash),
        Height = h.Height,
        ChainId = h.ChainId,
        TimeMs = h.TimeMs,
        PreviousHash = Bytes(h.PreviousHash),
        TransactionsRoot = Bytes(h.TransactionsRoot),
        AppHash = Bytes(h.AppHash),
        Proposer = h.Proposer.ToString(),
    };

    /// <summary>senderAt gives the sender of the transaction at an index (from its receipt), only asked for full transactions.</summary>
    public static V1.Block Block(Block block, bool fullTransactions, Func<int, Address?> senderAt)
    {
        var message = new V1.Block { Header = Header(block.Header), LastCommit = Commit(block.LastCommit) };
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            var tx = block.Transactions[i];
            message.TransactionHashes.Add(Bytes(tx.Hash));
            if (fullTransactions) message.Transactions.Add(Transaction(tx, senderAt(i), block.Height, i));
        }
        return message;
    }

    public static V1.Commit Commit(Commit commit)
    {
        var message = new V1.Commit { Height = commit.Height, Round = commit.Round, BlockHash = Bytes(commit.BlockHash) };
        foreach (var s in commit.Signatures)
            message.Signatures.Add(new V1.CommitSignature { Validator = s.Validator.ToString(), Signature = Bytes(s.Signature.ToBytes()) });
        return message;
    }

    /// <summary>Kind name and payload fields come from the payload's self-description, as JSON-RPC's do.</summary>
    public static V1.Transaction Transaction(Core.Transactions.Transaction tx, Address? sender, ulong? height, int? index)
    {
        var message = new V1.Transaction
        {
            Hash = Bytes(tx.Hash),
            From = sender?.ToString() ?? "",
            ChainId = tx.ChainId,
            Nonce = tx.Nonce,
            Fee = Units(tx.Fee),
            Kind = tx.Payload.Name,
            Signature = Bytes(tx.Signature.ToBytes()),
            Pending = height is null,
            Raw = Bytes(tx.Encoded),
        };
        if (height is { } h) message.BlockHeight = h;
        if (index is { } i) message.Index = i;
        foreach (var field in tx.Payload.Describe())
        {
            message.Payload.Add(new V1.PayloadField
            {
                Name = field.Name,
                Value = field.ValueText,
                Type = field.Type.ToString().ToLowerInvariant(),
                Asset = field.AssetSymbol ?? "",
            });
        }
        return message;
    }

    public static V1.Receipt Receipt(Receipt r)
    {
        var message = new V1.Receipt
        {
            TransactionHash = Bytes(r.TransactionHash),
            BlockHeight = r.Height,
            Index = r.Index,
            From = r.Sender.ToString(),
            Success = r.Success,
            FeePaid = Units(r.FeePaid),
            Error = r.Success ? "" : r.Error,
        };
        message.Events.AddRange(r.Events.Select(Event));
        return message;
    }

    public static V1.Event Event(ChainEvent e)
    {
        var message = new V1.Event { Type = e.Type };
        foreach (var (key, value) in e.Attributes) message.Attributes.Add(new V1.EventAttribute { Key = key, Value = value });
        return message;
    }
}
