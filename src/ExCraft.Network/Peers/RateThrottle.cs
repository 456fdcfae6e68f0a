namespace ExCraft.Network.Peers;

/// <summary>
/// The inbound rate limit of one peer: a message budget and a byte budget. A peer over either budget is
/// slowed down (the read loop waits before taking its next frame, and TCP back-pressure slows the sender),
/// never penalized: a merely fast peer, such as an honest validator catching up after a restart, is not
/// misbehaving. Bans need evidence of abuse (see docs/network.md, "Scoring and bans").
/// </summary>
internal sealed class RateThrottle(NetworkOptions options)
{
    private readonly TokenBucket _messages = new(options.MessagesPerSecond, options.MessageBurst, options.TimeProvider);
    private readonly TokenBucket _bytes = new(options.BytesPerSecond, options.ByteBurst, options.TimeProvider);
    private long _throttled;

    /// <summary>Frames that had to wait for the budget, since the connection started.</summary>
    public long Throttled => Interlocked.Read(ref _throttled);

    /// <summary>Charges one received frame of <paramref name="frameBytes"/> and returns how long to wait before reading on.</summary>
    public TimeSpan Charge(int frameBytes)
    {
        var wait = TimeSpan.FromTicks(Math.Max(_messages.Reserve(1).Ticks, _bytes.Reserve(frameBytes).Ticks));
        if (wait > TimeSpan.Zero) Interlocked.Increment(ref _throttled);
        return wait;
    }
}
