namespace ExCraft.Network.Peers;

/// <summary>
/// Classic token bucket: holds up to <c>burst</c> tokens, refilled at <c>rate</c> per second.
/// Thread-safe.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _rate;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _lastTimestamp;

    public TokenBucket(double ratePerSecond, double burst, TimeProvider time)
    {
        _rate = ratePerSecond;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _lastTimestamp = time.GetTimestamp();
    }

    /// <summary>
    /// Takes <paramref name="cost"/> tokens even when that leaves the bucket in debt, and returns how long
    /// the caller should wait before going on (zero while within the burst). Callers that wait as told
    /// never exceed the rate, so nothing needs to be refused.
    /// </summary>
    public TimeSpan Reserve(double cost)
    {
        lock (_lock)
        {
            Refill();
            _tokens -= cost;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _rate);
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        _lastTimestamp = now;
        _tokens = Math.Min(_burst, _tokens + elapsed * _rate);
    }
}
