namespace ExCraft.Core.Transactions;

/// <summary>
/// Everything both swap engines need to run a taken swap offer (docs/swap-offers.md "The terms"),
/// signed by both parties: the maker by posting the offer, the taker by taking it.
/// <para>
/// The initiator is whoever gives the native asset; it chose the secret behind HashLock, and its
/// native leg is already locked: the chain made the HTLC NativeHtlcId (sender Initiator, recipient
/// Participant, refund to Initiator, timeout NativeTimeoutHeight) in the take's block. The
/// participant locks the outside leg next: OutsideAmount of OutsideAsset on OutsideChain under the
/// same HashLock, claimable by OutsideClaimKey (the initiator's outside key or address), refundable
/// to OutsideRefundKey (the participant's) after at most OutsideLockSeconds. The initiator claims
/// the outside leg, revealing the secret; the participant then claims the native HTLC with it.
/// </para>
/// </summary>
public sealed record SwapOfferTerms(
    byte[] OfferId,
    byte[] HashLock,
    Address Initiator,
    Address Participant,
    byte[] NativeHtlcId,
    string NativeAsset,
    UInt128 NativeAmount,
    ulong NativeLockHeight,
    ulong NativeTimeoutHeight,
    string OutsideChain,
    string OutsideAsset,
    UInt128 OutsideAmount,
    byte[] OutsideClaimKey,
    byte[] OutsideRefundKey,
    ulong OutsideLockSeconds);
