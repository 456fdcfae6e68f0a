using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>
/// A market operation accepted by its transaction and waiting for the end of the block, when the
/// module applies the block's operations in the documented order (cancels, post-only places, the
/// rest). A place carries the funds its transaction reserved (PreLocked of the asset it locks).
/// </summary>
public sealed record QueuedOperation(ulong Index, Address Sender, TxPayload Payload, string PreLockedAsset, UInt128 PreLocked) : IStateValue
{
    public MarketOperationClass Class => Payload switch
    {
        CancelOrderPayload or CancelAllPayload => MarketOperationClass.Cancel,
        PlaceOrderPayload { Type: 0, TimeInForce: 3 } => MarketOperationClass.PostOnlyPlace,
        _ => MarketOperationClass.Other,
    };

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Index), Rlp.EncodeBytes(Sender.ToBytes()), Rlp.EncodeUInt((byte)Payload.Kind),
        Payload.Encode(), Rlp.EncodeString(PreLockedAsset), Rlp.EncodeUInt(PreLocked));

    public static QueuedOperation Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(6, "queued market operation");
        return new QueuedOperation(f[0].AsUInt64(), new Address(f[1].AsFixed(Address.Length, "sender")),
            TxPayloadCatalog.Decode((TxKind)f[2].AsUInt64(), f[3]), f[4].AsUtf8(), f[5].AsUInt128());
    }
}
