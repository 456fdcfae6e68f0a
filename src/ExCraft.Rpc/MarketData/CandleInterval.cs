namespace ExCraft.Rpc.MarketData;

/// <summary>The candle intervals the index keeps, by block time: 1m, 5m, 1h, 1d.</summary>
public sealed record CandleInterval(string Name, ulong Milliseconds)
{
    public static readonly CandleInterval Minute = new("1m", 60_000);
    public static readonly CandleInterval FiveMinutes = new("5m", 300_000);
    public static readonly CandleInterval Hour = new("1h", 3_600_000);
    public static readonly CandleInterval Day = new("1d", 86_400_000);

    public static readonly IReadOnlyList<CandleInterval> All = [Minute, FiveMinutes, Hour, Day];

    public static CandleInterval? Parse(string name) => All.FirstOrDefault(i => i.Name == name);

    /// <summary>The start of the candle a block time falls in (candles are aligned to the Unix epoch).</summary>
    public ulong OpenTimeOf(ulong timeMs) => timeMs - timeMs % Milliseconds;
}

/// <summary>One candle: the trades whose block time is in [OpenTimeMs, OpenTimeMs + interval), in trade-id order.</summary>
public sealed record Candle(ulong OpenTimeMs, UInt128 Open, UInt128 High, UInt128 Low, UInt128 Close, UInt128 Volume, UInt128 QuoteVolume, ulong Trades, ulong FirstTradeId, ulong LastTradeId)
{
    public static Candle Of(ulong openTimeMs, IndexedTrade t) =>
        new(openTimeMs, t.Trade.Price, t.Trade.Price, t.Trade.Price, t.Trade.Price, t.Trade.BaseAmount, t.Trade.QuoteAmount, 1, t.Trade.Id, t.Trade.Id);

    public Candle With(IndexedTrade t) => this with
    {
        High = UInt128.Max(High, t.Trade.Price),
        Low = UInt128.Min(Low, t.Trade.Price),
        Close = t.Trade.Price,
        Volume = Volume + t.Trade.BaseAmount,
        QuoteVolume = QuoteVolume + t.Trade.QuoteAmount,
        Trades = Trades + 1,
        LastTradeId = t.Trade.Id,
    };

    /// <summary>This candle followed by <paramref name="later"/>'s trades (the same as adding each of them with <see cref="With"/>).</summary>
    public Candle Merge(Candle later) => this with
    {
        High = UInt128.Max(High, later.High),
        Low = UInt128.Min(Low, later.Low),
        Close = later.Close,
        Volume = Volume + later.Volume,
        QuoteVolume = QuoteVolume + later.QuoteVolume,
        Trades = Trades + later.Trades,
        LastTradeId = later.LastTradeId,
    };
}
