using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>
/// A market's listed parameters (genesis, list_market, update_market; docs/markets.md). Amounts
/// are base units: TickSize and MinNotional of the quote asset, LotSize of the base asset; a price
/// is quote base units per whole base token. Mode 0 is continuous, 1 a per-block batch auction.
/// </summary>
public sealed record MarketDefinition(string Base, string Quote, UInt128 TickSize, UInt128 LotSize, UInt128 MinNotional,
    uint MakerFeePpm, uint TakerFeePpm, byte Mode, bool Halted, ulong Pool = 0)
{
    // Pool scope (docs/pools.md): Pool 0 is a global market; otherwise only that pool's members may place orders.
    // Encoded as a tenth item only when set, so global markets keep their encoding (and genesis hashes).
    public const uint PpmDenominator = 1_000_000;

    public string Pair => MarketPairs.Name(Base, Quote);

    public byte[] Encode() => Rlp.EncodeList(new List<byte[]> { Rlp.EncodeString(Base), Rlp.EncodeString(Quote), Rlp.EncodeUInt(TickSize), Rlp.EncodeUInt(LotSize),
        Rlp.EncodeUInt(MinNotional), Rlp.EncodeUInt(MakerFeePpm), Rlp.EncodeUInt(TakerFeePpm), Rlp.EncodeUInt(Mode), Rlp.EncodeBool(Halted),
        }.Concat(Pool == 0 ? [] : [Rlp.EncodeUInt(Pool)]));

    public static MarketDefinition Decode(RlpItem item)
    {
        var f = item.IsList && item.Items.Count == 10 ? item.Items : item.ListOf(9, "market definition");
        if (f.Count == 10 && f[9].AsUInt64() == 0) throw new RlpException("market definition: a global market's pool scope is left out, not encoded as 0");
        return new MarketDefinition(f[0].AsUtf8(), f[1].AsUtf8(), f[2].AsUInt128(), f[3].AsUInt128(), f[4].AsUInt128(),
            checked((uint)f[5].AsUInt64()), checked((uint)f[6].AsUInt64()), checked((byte)f[7].AsUInt64()), f[8].AsBool(), f.Count == 10 ? f[9].AsUInt64() : 0);
    }

    /// <summary>Checks needing no state: symbols, base differs from quote, tick and lot positive, fee rates at most 100%, a known mode; an error text or null.</summary>
    public string? Check()
    {
        if (!AssetSymbol.IsValid(Base, out var error) || !AssetSymbol.IsValid(Quote, out error)) return error;
        if (Base == Quote) return $"market base and quote are both {Base}";
        if (TickSize == 0) return "tick size must be positive";
        if (LotSize == 0) return "lot size must be positive";
        if (MakerFeePpm > PpmDenominator || TakerFeePpm > PpmDenominator) return "fee rates are at most 1000000 ppm";
        if (Mode > 1) return $"unknown market mode {Mode} (0 continuous, 1 batch)";
        return null;
    }

    public IReadOnlyList<PayloadField> Describe() =>
    [
        PayloadField.Asset("base", "base", Base), PayloadField.Asset("quote", "quote", Quote),
        MarketPairs.Units("tickSize", "tick size", TickSize), MarketPairs.Units("lotSize", "lot size", LotSize),
        MarketPairs.Units("minNotional", "min notional", MinNotional),
        PayloadField.Ppm("makerFeePpm", "maker fee", MakerFeePpm), PayloadField.Ppm("takerFeePpm", "taker fee", TakerFeePpm),
        PayloadField.Text("mode", "mode", Mode == 0 ? "continuous" : "batch"), PayloadField.Bool("halted", "halted", Halted),
        .. (Pool == 0 ? Array.Empty<PayloadField>() : [PayloadField.Integer("pool", "pool scope", Pool)]),
    ];
}

/// <summary>The "BASE/QUOTE" name of a market.</summary>
public static class MarketPairs
{
    /// <summary>
    /// A market payload's amount as a base-unit decimal string (the same JSON as an Amount field);
    /// described as text because a market names two assets and the CLI would need both assets'
    /// decimals from a node to format it.
    /// </summary>
    internal static PayloadField Units(string name, string label, UInt128 units) =>
        PayloadField.Text(name, label + " (base units)", units.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static string Name(string baseAsset, string quoteAsset) => $"{baseAsset}/{quoteAsset}";

    /// <summary>Splits "BASE/QUOTE"; false when it is not two valid symbols.</summary>
    public static bool TryParse(string pair, out string baseAsset, out string quoteAsset)
    {
        baseAsset = quoteAsset = "";
        var parts = pair.Split('/');
        if (parts.Length != 2 || !AssetSymbol.IsValid(parts[0], out _) || !AssetSymbol.IsValid(parts[1], out _)) return false;
        (baseAsset, quoteAsset) = (parts[0], parts[1]);
        return true;
    }
}

/// <summary>
/// Places an order on the market Base/Quote. Side 0 buy, 1 sell; Type 0 limit, 1 market; TimeInForce
/// 0 good-till-cancel, 1 immediate-or-cancel, 2 fill-or-kill, 3 post-only (limits only); Price is the
/// limit (or a market order's worst price); QuoteBudget (market buys only, with Size and Price 0)
/// spends a quote amount instead; ExpiryHeight 0 is never; ClientOrderId 0 is none; SelfTrade 0
/// cancels the resting order, 1 the incoming one, 2 both. ExpiryTimeMs (0 never) expires the order
/// by block time instead of (or as well as) by height; it is an optional twelfth field, absent when
/// 0, so orders without it keep their eleven-field encoding.
/// </summary>
[TxPayloadKind(TxKind.PlaceOrder, "place_order")]
public sealed record PlaceOrderPayload(string Base, string Quote, byte Side, byte Type, byte TimeInForce, UInt128 Price, UInt128 Size,
    UInt128 QuoteBudget, ulong ClientOrderId, ulong ExpiryHeight, byte SelfTrade, ulong ExpiryTimeMs = 0) : TxPayload
{
    public bool IsBuy => Side == 0;

    public override byte[] Encode()
    {
        byte[][] fields = [Rlp.EncodeString(Base), Rlp.EncodeString(Quote), Rlp.EncodeUInt(Side), Rlp.EncodeUInt(Type),
            Rlp.EncodeUInt(TimeInForce), Rlp.EncodeUInt(Price), Rlp.EncodeUInt(Size), Rlp.EncodeUInt(QuoteBudget), Rlp.EncodeUInt(ClientOrderId),
            Rlp.EncodeUInt(ExpiryHeight), Rlp.EncodeUInt(SelfTrade)];
        return ExpiryTimeMs == 0 ? Rlp.EncodeList(fields) : Rlp.EncodeList([.. fields, Rlp.EncodeUInt(ExpiryTimeMs)]);
    }

    public override IReadOnlyList<PayloadField> Describe() =>
    [
        PayloadField.Text("market", "market", MarketPairs.Name(Base, Quote)), PayloadField.Text("side", "side", Side == 0 ? "buy" : "sell"),
        PayloadField.Text("type", "type", Type == 0 ? "limit" : "market"),
        PayloadField.Text("timeInForce", "time in force", TimeInForce switch { 0 => "gtc", 1 => "ioc", 2 => "fok", 3 => "post_only", _ => TimeInForce.ToString() }),
        MarketPairs.Units("price", "price", Price), MarketPairs.Units("size", "size", Size),
        MarketPairs.Units("quoteBudget", "quote budget", QuoteBudget), PayloadField.Integer("clientOrderId", "client order id", ClientOrderId),
        PayloadField.Integer("expiryHeight", "expiry height", ExpiryHeight), PayloadField.Integer("selfTrade", "self-trade prevention", SelfTrade),
        PayloadField.Integer("expiryTimeMs", "expiry block time (ms)", ExpiryTimeMs),
    ];

    internal static PlaceOrderPayload Decode(RlpItem item)
    {
        // Eleven fields, or twelve with a non-zero expiry time (one encoding per payload).
        var f = item.Items.Count == 12 ? item.ListOf(12, "place_order payload") : item.ListOf(11, "place_order payload");
        var expiryTimeMs = f.Count == 12 ? f[11].AsUInt64() : 0;
        if (f.Count == 12 && expiryTimeMs == 0) throw new RlpException("place_order payload: an expiry time of 0 is written by leaving the field out");
        return new PlaceOrderPayload(f[0].AsUtf8(), f[1].AsUtf8(), Small(f[2]), Small(f[3]), Small(f[4]), f[5].AsUInt128(), f[6].AsUInt128(),
            f[7].AsUInt128(), f[8].AsUInt64(), f[9].AsUInt64(), Small(f[10]), expiryTimeMs);
    }

    internal static byte Small(RlpItem item) => item.AsUInt64() is var v && v <= byte.MaxValue ? (byte)v : throw new RlpException($"enum value {v} out of range");
}

/// <summary>Cancels one of the sender's open orders on Base/Quote, by OrderId, or (OrderId 0) by ClientOrderId.</summary>
[TxPayloadKind(TxKind.CancelOrder, "cancel_order")]
public sealed record CancelOrderPayload(string Base, string Quote, ulong OrderId, ulong ClientOrderId) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeString(Base), Rlp.EncodeString(Quote), Rlp.EncodeUInt(OrderId), Rlp.EncodeUInt(ClientOrderId));

    public override IReadOnlyList<PayloadField> Describe() =>
    [
        PayloadField.Text("market", "market", MarketPairs.Name(Base, Quote)), PayloadField.Integer("orderId", "order id", OrderId),
        PayloadField.Integer("clientOrderId", "client order id", ClientOrderId),
    ];

    internal static CancelOrderPayload Decode(RlpItem item)
    {
        var f = item.ListOf(4, "cancel_order payload");
        return new CancelOrderPayload(f[0].AsUtf8(), f[1].AsUtf8(), f[2].AsUInt64(), f[3].AsUInt64());
    }
}

/// <summary>Cancels all of the sender's open orders on Base/Quote, or on every market when both are empty.</summary>
[TxPayloadKind(TxKind.CancelAll, "cancel_all")]
public sealed record CancelAllPayload(string Base, string Quote) : TxPayload
{
    public bool AllMarkets => Base.Length == 0 && Quote.Length == 0;

    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeString(Base), Rlp.EncodeString(Quote));

    public override IReadOnlyList<PayloadField> Describe() => [PayloadField.Text("market", "market", AllMarkets ? "all" : MarketPairs.Name(Base, Quote))];

    internal static CancelAllPayload Decode(RlpItem item)
    {
        var f = item.ListOf(2, "cancel_all payload");
        return new CancelAllPayload(f[0].AsUtf8(), f[1].AsUtf8());
    }
}

/// <summary>
/// Changes one of the sender's open orders on Base/Quote to NewPrice and NewSize (the remaining
/// size). A smaller size at the same price keeps time priority; a new price or a larger size goes to
/// the back of its level, and in a continuous market a new price that crosses trades at once.
/// </summary>
[TxPayloadKind(TxKind.AmendOrder, "amend_order")]
public sealed record AmendOrderPayload(string Base, string Quote, ulong OrderId, UInt128 NewPrice, UInt128 NewSize) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeString(Base), Rlp.EncodeString(Quote), Rlp.EncodeUInt(OrderId), Rlp.EncodeUInt(NewPrice), Rlp.EncodeUInt(NewSize));

    public override IReadOnlyList<PayloadField> Describe() =>
    [
        PayloadField.Text("market", "market", MarketPairs.Name(Base, Quote)), PayloadField.Integer("orderId", "order id", OrderId),
        MarketPairs.Units("newPrice", "new price", NewPrice), MarketPairs.Units("newSize", "new size", NewSize),
    ];

    internal static AmendOrderPayload Decode(RlpItem item)
    {
        var f = item.ListOf(5, "amend_order payload");
        return new AmendOrderPayload(f[0].AsUtf8(), f[1].AsUtf8(), f[2].AsUInt64(), f[3].AsUInt128(), f[4].AsUInt128());
    }
}

/// <summary>
/// The dead-man's switch: at the start of block Height the chain cancels all of the sender's
/// orders on every market, unless a later set_cancel_deadline pushed it forward (each one replaces
/// the last); Height 0 switches it off.
/// </summary>
[TxPayloadKind(TxKind.SetCancelDeadline, "set_cancel_deadline")]
public sealed record SetCancelDeadlinePayload(ulong Height) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Height));

    public override IReadOnlyList<PayloadField> Describe() => [PayloadField.Integer("height", "cancel all at height", Height)];

    internal static SetCancelDeadlinePayload Decode(RlpItem item) => new(item.ListOf(1, "set_cancel_deadline payload")[0].AsUInt64());
}

/// <summary>Lists a new market (governance authority only).</summary>
[TxPayloadKind(TxKind.ListMarket, "list_market")]
public sealed record ListMarketPayload(MarketDefinition Market) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Market.Encode());

    public override IReadOnlyList<PayloadField> Describe() => Market.Describe();

    internal static ListMarketPayload Decode(RlpItem item) => new(MarketDefinition.Decode(item.ListOf(1, "list_market payload")[0]));
}

/// <summary>Replaces a listed market's tick, lot, min notional, fee rates and status (governance authority only; base, quote and mode stay).</summary>
[TxPayloadKind(TxKind.UpdateMarket, "update_market")]
public sealed record UpdateMarketPayload(MarketDefinition Market) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Market.Encode());

    public override IReadOnlyList<PayloadField> Describe() => Market.Describe();

    internal static UpdateMarketPayload Decode(RlpItem item) => new(MarketDefinition.Decode(item.ListOf(1, "update_market payload")[0]));
}

/// <summary>Halts a market (no new orders; cancels still work) or, with Halted false, resumes it (governance authority only).</summary>
[TxPayloadKind(TxKind.HaltMarket, "halt_market")]
public sealed record HaltMarketPayload(string Base, string Quote, bool Halted) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeString(Base), Rlp.EncodeString(Quote), Rlp.EncodeBool(Halted));

    public override IReadOnlyList<PayloadField> Describe() =>
        [PayloadField.Text("market", "market", MarketPairs.Name(Base, Quote)), PayloadField.Bool("halted", "halted", Halted)];

    internal static HaltMarketPayload Decode(RlpItem item)
    {
        var f = item.ListOf(3, "halt_market payload");
        return new HaltMarketPayload(f[0].AsUtf8(), f[1].AsUtf8(), f[2].AsBool());
    }
}
