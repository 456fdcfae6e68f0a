using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.SwapOffers;

/// <summary>The words events and JSON use for an offer's side and status.</summary>
public static class SwapOfferText
{
    /// <summary>"native" when the maker gives the native asset, "outside" when it gives the outside asset.</summary>
    public static string Side(SwapOfferSide side) => side == SwapOfferSide.MakerGivesNative ? "native" : "outside";

    /// <summary>open, taken, cancelled or expired.</summary>
    public static string Status(SwapOfferStatus status) => status.ToString().ToLowerInvariant();
}
