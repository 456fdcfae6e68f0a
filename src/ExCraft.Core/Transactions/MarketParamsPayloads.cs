using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>
/// The markets module's chain parameters for the epoch-end fee buyback (docs/markets.md, "Fee
/// buyback and burn"): the share of each fee pool that buys back and burns EXT (never below the
/// whitepaper's 80%), and how far from the last trade price the protocol's buyback order may go.
/// Both in parts per million. Set at genesis and by set_market_params (governance authority).
/// </summary>
public sealed record MarketParameters(uint FeeBurnPpm, uint BuybackSlippagePpm)
{
    /// <summary>The floor the issue promises: at least 80% of fees buy back and burn EXT.</summary>
    public const uint MinFeeBurnPpm = 800_000;

    /// <summary>The most the buyback may pay above (EXT-base markets) or accept below (EXT-quote markets) the last trade price: 50%.</summary>
    public const uint MaxBuybackSlippagePpm = 500_000;

    public static readonly MarketParameters Default = new(800_000, 50_000);

    public bool IsDefault => this == Default;

    /// <summary>An error text naming the field, or null when both are in range.</summary>
    public string? Check()
    {
        if (FeeBurnPpm < MinFeeBurnPpm) return $"fee burn share {FeeBurnPpm} ppm is below the floor of {MinFeeBurnPpm} ppm (80%)";
        if (FeeBurnPpm > MarketDefinition.PpmDenominator) return $"fee burn share {FeeBurnPpm} ppm is above {MarketDefinition.PpmDenominator} ppm (100%)";
        if (BuybackSlippagePpm > MaxBuybackSlippagePpm) return $"buyback slippage {BuybackSlippagePpm} ppm is above the maximum of {MaxBuybackSlippagePpm} ppm (50%)";
        return null;
    }

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(FeeBurnPpm), Rlp.EncodeUInt(BuybackSlippagePpm));

    public static MarketParameters Decode(RlpItem item)
    {
        var f = item.ListOf(2, "market parameters");
        return new MarketParameters(checked((uint)f[0].AsUInt64()), checked((uint)f[1].AsUInt64()));
    }
}

/// <summary>Replaces the markets module's buyback parameters (governance authority only; refused below the 80% burn floor).</summary>
[TxPayloadKind(TxKind.SetMarketParams, "set_market_params")]
public sealed record SetMarketParamsPayload(uint FeeBurnPpm, uint BuybackSlippagePpm) : TxPayload
{
    public MarketParameters Parameters => new(FeeBurnPpm, BuybackSlippagePpm);

    public override byte[] Encode() => Parameters.Encode();

    public override IReadOnlyList<PayloadField> Describe() =>
        [PayloadField.Ppm("feeBurnPpm", "fee burn share", FeeBurnPpm), PayloadField.Ppm("buybackSlippagePpm", "buyback slippage", BuybackSlippagePpm)];

    internal static SetMarketParamsPayload Decode(RlpItem item)
    {
        var p = MarketParameters.Decode(item);
        return new SetMarketParamsPayload(p.FeeBurnPpm, p.BuybackSlippagePpm);
    }
}
