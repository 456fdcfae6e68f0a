using ExCraft.Chain;
using ExCraft.Chain.Modules.Htlc;
using ExCraft.Chain.Modules.SwapOffers;
using ExCraft.Core.Transactions;
using Google.Protobuf;
using Grpc.Core;
using V1 = ExCraft.Grpc.V1;

namespace ExCraft.Grpc;

/// <summary>
/// excraft.v1.SwapsService: the swapoffers and htlc modules' typed queries (the ones JSON-RPC's
/// swapoffers_* and htlc_get/htlc_getByHashLock map to JSON), mapped to messages; same page limits.
/// </summary>
public sealed class SwapsGrpcService(Blockchain chain) : V1.SwapsService.SwapsServiceBase
{
    private SwapOfferQueries Offers => SwapOffersModule.Queries(chain.State);

    private HtlcQueries Htlcs => HtlcModule.Queries(chain.State);

    public override Task<V1.SwapOffer> GetSwapOffer(V1.GetSwapOfferRequest request, ServerCallContext context)
    {
        var id = GrpcArguments.Hash(request.Id, "id");
        return Task.FromResult(Offer(Offers.Get(id) ?? throw GrpcStatus.NotFound($"there is no swap offer {Core.Encoding.Hex.Encode(id)}")));
    }

    public override Task<V1.SwapOfferPage> ListOpenSwapOffers(V1.ListOpenSwapOffersRequest request, ServerCallContext context) =>
        Task.FromResult(Page(Offers.Open(Limit(request.Limit, SwapOfferQueries.MaxPageSize), After(request.After))));

    public override Task<V1.SwapOfferPage> ListSwapOffersByAccount(V1.ListSwapOffersByAccountRequest request, ServerCallContext context) =>
        Task.FromResult(Page(Offers.ByAccount(GrpcArguments.Address(request.Account, "account"), Limit(request.Limit, SwapOfferQueries.MaxPageSize), After(request.After))));

    public override Task<V1.EscrowTotals> GetSwapOfferEscrow(V1.GetSwapOfferEscrowRequest request, ServerCallContext context)
    {
        var message = new V1.EscrowTotals();
        message.Totals.AddRange(Offers.AllEscrow().Select(e => new V1.EscrowTotal { Asset = e.Asset, Amount = ChainMessages.Units(e.Amount) }));
        return Task.FromResult(message);
    }

    public override Task<V1.Htlc> GetHtlc(V1.GetHtlcRequest request, ServerCallContext context)
    {
        var id = GrpcArguments.Hash(request.Id, "id");
        return Task.FromResult(Htlc(Htlcs.Get(id) ?? throw GrpcStatus.NotFound($"there is no HTLC {Core.Encoding.Hex.Encode(id)}")));
    }

    public override Task<V1.HtlcPage> ListHtlcsByHashLock(V1.ListHtlcsByHashLockRequest request, ServerCallContext context)
    {
        var message = new V1.HtlcPage();
        message.Htlcs.AddRange(Htlcs.ByHashLock(GrpcArguments.Hash(request.HashLock, "hash_lock")).Select(Htlc));
        return Task.FromResult(message);
    }

    private static int Limit(uint limit, int max) => limit == 0 ? max
        : limit <= max ? (int)limit : throw GrpcStatus.InvalidArgument($"limit: must be between 1 and {max} (0: {max}), got {limit}");

    private static byte[]? After(ByteString after) => after.IsEmpty ? null : GrpcArguments.Hash(after, "after");

    private static V1.SwapOfferPage Page(SwapOfferPage page)
    {
        var message = new V1.SwapOfferPage { Next = page.Next is null ? ByteString.Empty : ChainMessages.Bytes(page.Next) };
        message.Offers.AddRange(page.Offers.Select(Offer));
        return message;
    }

    private static V1.SwapOffer Offer(SwapOfferRecord o) => new()
    {
        Id = ChainMessages.Bytes(o.Id),
        Maker = o.Maker.ToString(),
        MakerGives = o.Side == SwapOfferSide.MakerGivesNative ? "native" : "outside",
        NativeAsset = o.NativeAsset,
        NativeAmount = ChainMessages.Units(o.NativeAmount),
        OutsideChain = o.OutsideChain,
        OutsideAsset = o.OutsideAsset,
        OutsideAmount = ChainMessages.Units(o.OutsideAmount),
        MakerOutsideKey = ChainMessages.Bytes(o.MakerOutsideKey),
        HashLock = ChainMessages.Bytes(o.HashLock),
        LockBlocks = o.LockBlocks,
        OutsideLockSeconds = o.OutsideLockSeconds,
        ExpiryHeight = o.ExpiryHeight,
        PostHeight = o.PostHeight,
        Status = o.Status.ToString().ToLowerInvariant(),
        Taker = o.Taker?.ToString() ?? "",
        TakerOutsideKey = ChainMessages.Bytes(o.TakerOutsideKey),
        ClosedHeight = o.ClosedHeight,
        Escrowed = ChainMessages.Units(o.Escrowed),
    };

    private static V1.Htlc Htlc(HtlcRecord h) => new()
    {
        Id = ChainMessages.Bytes(h.Id),
        Sender = h.Sender.ToString(),
        Recipient = h.Recipient.ToString(),
        RefundAddress = h.RefundAddress.ToString(),
        Asset = h.Asset,
        Amount = ChainMessages.Units(h.Amount),
        HashLock = ChainMessages.Bytes(h.HashLock),
        TimeoutHeight = h.TimeoutHeight,
        LockHeight = h.LockHeight,
        Status = h.Status.ToString().ToLowerInvariant(),
        Preimage = h.Preimage is null ? ByteString.Empty : ChainMessages.Bytes(h.Preimage),
        SettledHeight = h.SettledHeight,
    };
}
