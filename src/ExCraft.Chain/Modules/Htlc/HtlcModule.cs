using ExCraft.Chain.State;

namespace ExCraft.Chain.Modules.Htlc;

/// <summary>
/// Native hash-time-locked contracts (kinds 80-89, SPEC 9, docs/htlc.md): htlc_lock moves an
/// amount into the module's escrow, htlc_claim pays it to the recipient for the SHA-256 preimage
/// before the timeout height, htlc_refund returns it to the refund address from that height on.
/// The module knows hashes, amounts and heights only; no other chain's client runs in it. It has
/// no genesis section and no block hooks (an expired HTLC waits for its refund transaction).
/// </summary>
public sealed class HtlcModule : ChainModule
{
    public const string ModuleName = "htlc";

    /// <summary>Event types of the htlc module.</summary>
    public static class Events
    {
        public const string Locked = "htlc_locked";
        public const string Claimed = "htlc_claimed";
        public const string Refunded = "htlc_refunded";
    }

    public override string Name => ModuleName;

    public override byte[] KeyPrefix => HtlcKeys.Prefix;

    public override IReadOnlyList<ITxHandler> Handlers { get; } = [new HtlcLockHandler(), new HtlcClaimHandler(), new HtlcRefundHandler()];

    public override IReadOnlyList<string> EventTypes { get; } = [Events.Locked, Events.Claimed, Events.Refunded];

    /// <summary>The module's typed read API over a state reader (JSON-RPC and gRPC map its records).</summary>
    public static HtlcQueries Queries(IStateReader state) => new(state);
}
