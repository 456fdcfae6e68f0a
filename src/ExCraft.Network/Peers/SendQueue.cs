namespace ExCraft.Network.Peers;

internal enum EnqueueResult
{
    Enqueued,
    /// <summary>The queue for that priority (or the byte budget) is full; the message was not queued.</summary>
    Full,
    /// <summary>The peer is closing.</summary>
    Closed,
}

/// <summary>
/// A peer's outgoing messages (encoded envelopes), bounded in count per priority and in total
/// bytes. High priority is always served first. Closing can leave one final message (a
/// Disconnect) that is served before anything else. One consumer (the write loop).
/// </summary>
internal sealed class SendQueue(int capacityPerPriority, long maxBytes)
{
    private readonly Queue<byte[]> _high = new();
    private readonly Queue<byte[]> _normal = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly Lock _lock = new();
    private long _bytes;
    private bool _closed;
    private byte[]? _final;

    public long QueuedBytes
    {
        get { lock (_lock) return _bytes; }
    }

    public EnqueueResult TryEnqueue(byte[] envelope, MessagePriority priority)
    {
        lock (_lock)
        {
            if (_closed) return EnqueueResult.Closed;
            var queue = priority == MessagePriority.High ? _high : _normal;
            if (queue.Count >= capacityPerPriority || _bytes + envelope.Length > maxBytes) return EnqueueResult.Full;
            queue.Enqueue(envelope);
            _bytes += envelope.Length;
        }
        _available.Release();
        return EnqueueResult.Enqueued;
    }

    /// <summary>Stops accepting messages; the write loop will send <paramref name="final"/> (if any) next, then nothing else.</summary>
    public void Close(byte[]? final)
    {
        lock (_lock)
        {
            if (_closed) return;
            _closed = true;
            _final = final;
            _high.Clear();
            _normal.Clear();
            _bytes = 0;
        }
        _available.Release();
    }

    /// <summary>
    /// The next message; <see cref="DequeueResult.Idle"/> when nothing arrived within
    /// <paramref name="idle"/> (time for a Ping), <see cref="DequeueResult.Closed"/> once closed
    /// and the final message (if any) was taken.
    /// </summary>
    public async ValueTask<(DequeueResult Result, byte[]? Envelope)> DequeueAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!await _available.WaitAsync(idle, cancellationToken).ConfigureAwait(false)) return (DequeueResult.Idle, null);
            lock (_lock)
            {
                if (_closed)
                {
                    var final = _final;
                    _final = null;
                    _available.Release(); // keep waking up: closed is a permanent state
                    return final is null ? (DequeueResult.Closed, null) : (DequeueResult.Message, final);
                }
                if (_high.TryDequeue(out var next) || _normal.TryDequeue(out next))
                {
                    _bytes -= next.Length;
                    return (DequeueResult.Message, next);
                }
            }
            // A permit without a message: a race with Close clearing the queues; loop.
        }
    }
}

internal enum DequeueResult
{
    Message,
    Idle,
    Closed,
}
