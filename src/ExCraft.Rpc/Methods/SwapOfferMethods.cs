using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Modules.SwapOffers;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc.Methods;

/// <summary>
/// The swapoffers module's methods (docs/rpc.md, docs/swap-offers.md): one offer, the open offers
/// (all or of one pair), an account's offers, the escrow totals. The offer JSON, with the terms of
/// a taken offer, is <see cref="Offer"/>; the swapOffers subscription sends the same shape.
/// </summary>
public sealed class SwapOfferMethods(Blockchain chain)
{
    private SwapOfferQueries Queries => SwapOffersModule.Queries(chain.State);

    public void Register(RpcMethodRegistry registry)
    {
        registry.Add("swapoffers_get", 1, (p, _) => Queries.Get(p.Hash(0, "id")) is { } offer ? Offer(offer) : null);
        registry.Add("swapoffers_listOpen", 2, (p, _) => PageJson(Queries.Open(Limit(p, 0), After(p, 1))));
        registry.Add("swapoffers_listByPair", 5, (p, _) =>
        {
            var nativeAsset = p.String(0, "native asset");
            if (!AssetSymbol.IsValid(nativeAsset, out var symbolError)) throw new RpcException(RpcErrorCodes.InvalidParams, $"native asset \"{RpcText.Echo(nativeAsset)}\" is not an asset symbol: {symbolError}");
            var outsideChain = p.String(1, "outside chain");
            var outsideAsset = p.String(2, "outside asset");
            if (SwapOfferRules.CheckOutsideAsset(outsideChain, outsideAsset) is { } bad) throw new RpcException(RpcErrorCodes.InvalidParams, bad); // SwapOfferRules shortens echoed inputs
            return PageJson(Queries.OpenOfPair(nativeAsset, outsideChain, outsideAsset, Limit(p, 3), After(p, 4)));
        });
        registry.Add("swapoffers_listByAccount", 3, (p, _) => PageJson(Queries.ByAccount(p.Address(0, "account"), Limit(p, 1), After(p, 2))));
        registry.Add("swapoffers_getEscrow", 0, (_, _) => new JsonArray(Queries.AllEscrow()
            .Select(l => (JsonNode)new JsonObject { ["asset"] = l.Asset, ["amount"] = ChainJson.Units(l.Amount) }).ToArray()));
    }

    private static int Limit(RpcParams p, int index) => p.Int(index, "limit", SwapOfferQueries.MaxPageSize, 1, SwapOfferQueries.MaxPageSize);

    private static byte[]? After(RpcParams p, int index) => p.Optional(index) is null ? null : p.Hash(index, "after");

    private static JsonObject PageJson(SwapOfferPage page) => new()
    {
        ["offers"] = new JsonArray(page.Offers.Select(o => (JsonNode)Offer(o)).ToArray()),
        ["next"] = page.Next is null ? null : Hex.Encode(page.Next),
    };

    /// <summary>An offer as JSON: the maker's terms, the status, the taker once taken, and the swap's terms (null until taken).</summary>
    public static JsonObject Offer(SwapOfferRecord o) => new()
    {
        ["id"] = Hex.Encode(o.Id),
        ["maker"] = o.Maker.ToString(),
        ["makerGives"] = SwapOfferText.Side(o.Side),
        ["nativeAsset"] = o.NativeAsset,
        ["nativeAmount"] = ChainJson.Units(o.NativeAmount),
        ["outsideChain"] = o.OutsideChain,
        ["outsideAsset"] = o.OutsideAsset,
        ["outsideAmount"] = ChainJson.Units(o.OutsideAmount),
        ["makerOutsideKey"] = Hex.Encode(o.MakerOutsideKey),
        ["hashLock"] = o.HashLock.Length == 0 ? null : Hex.Encode(o.HashLock),
        ["lockBlocks"] = o.LockBlocks,
        ["outsideLockSeconds"] = o.OutsideLockSeconds,
        ["expiryHeight"] = o.ExpiryHeight,
        ["postHeight"] = o.PostHeight,
        ["status"] = SwapOfferText.Status(o.Status),
        ["escrowed"] = ChainJson.Units(o.Escrowed),
        ["taker"] = o.Taker?.ToString(),
        ["takerOutsideKey"] = o.TakerOutsideKey.Length == 0 ? null : Hex.Encode(o.TakerOutsideKey),
        ["closedHeight"] = o.Status == SwapOfferStatus.Open ? null : o.ClosedHeight,
        ["terms"] = o.Terms() is { } t ? Terms(t) : null,
    };

    /// <summary>What both swap engines start from (docs/swap-offers.md "The terms").</summary>
    public static JsonObject Terms(SwapOfferTerms t) => new()
    {
        ["offerId"] = Hex.Encode(t.OfferId),
        ["hashLock"] = Hex.Encode(t.HashLock),
        ["initiator"] = t.Initiator.ToString(),
        ["participant"] = t.Participant.ToString(),
        ["nativeHtlcId"] = Hex.Encode(t.NativeHtlcId),
        ["nativeAsset"] = t.NativeAsset,
        ["nativeAmount"] = ChainJson.Units(t.NativeAmount),
        ["nativeLockHeight"] = t.NativeLockHeight,
        ["nativeTimeoutHeight"] = t.NativeTimeoutHeight,
        ["outsideChain"] = t.OutsideChain,
        ["outsideAsset"] = t.OutsideAsset,
        ["outsideAmount"] = ChainJson.Units(t.OutsideAmount),
        ["outsideClaimKey"] = Hex.Encode(t.OutsideClaimKey),
        ["outsideRefundKey"] = Hex.Encode(t.OutsideRefundKey),
        ["outsideLockSeconds"] = t.OutsideLockSeconds,
    };
}
