using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>The stored form of an open order: the engine's view of it (what Restore needs), encoded as RLP.</summary>
public static class OrderRecord
{
    public static byte[] Encode(OrderView o) => Rlp.EncodeList(Rlp.EncodeUInt(o.Id), Rlp.EncodeBytes(o.Account.ToBytes()), Rlp.EncodeUInt(o.ClientOrderId),
        Rlp.EncodeUInt((byte)o.Side), Rlp.EncodeUInt((byte)o.Type), Rlp.EncodeUInt((byte)o.TimeInForce), Rlp.EncodeUInt(o.Price), Rlp.EncodeUInt(o.RemainingSize),
        Rlp.EncodeUInt(o.Locked), Rlp.EncodeUInt(o.Sequence), Rlp.EncodeUInt(o.ExpiryHeight), Rlp.EncodeUInt((byte)o.SelfTrade));

    public static OrderView Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(12, "order");
        return new OrderView(f[0].AsUInt64(), new Address(f[1].AsFixed(Address.Length, "account")), f[2].AsUInt64(), (Side)f[3].AsUInt64(),
            (OrderType)f[4].AsUInt64(), (TimeInForce)f[5].AsUInt64(), f[6].AsUInt128(), f[7].AsUInt128(), f[8].AsUInt128(), f[9].AsUInt64(),
            f[10].AsUInt64(), (SelfTradePrevention)f[11].AsUInt64());
    }
}
