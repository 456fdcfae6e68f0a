namespace ExCraft.Network.Peers;

/// <summary>
/// A peer's standing: starts at the initial score, penalties subtract, and it slowly recovers
/// over time (never above the initial score). Thread-safe.
/// </summary>
internal sealed class PeerScore
{
    private readonly int _initial;
    private readonly double _recoveryPerSecond;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _score;
    private long _lastTimestamp;

    public PeerScore(int initial, double recoveryPerMinute, TimeProvider time)
    {
        _initial = initial;
        _recoveryPerSecond = recoveryPerMinute / 60.0;
        _time = time;
        _score = initial;
        _lastTimestamp = time.GetTimestamp();
    }

    public int Value
    {
        get
        {
            lock (_lock) return (int)Math.Floor(Recover());
        }
    }

    /// <summary>Subtracts the points and returns the new score.</summary>
    public int Penalize(int points)
    {
        lock (_lock)
        {
            _score = Recover() - points;
            return (int)Math.Floor(_score);
        }
    }

    private double Recover()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        _lastTimestamp = now;
        _score = Math.Min(_initial, _score + elapsed * _recoveryPerSecond);
        return _score;
    }
}
