using System.Diagnostics;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// Wall-clock time of the epoch close's sections (PoE phases, pools tally/ranking/payout, emission
/// settlement) for the epoch-end benchmark (docs/BENCHMARKS.md "Epoch end at scale"). Off unless a
/// sink is set on the executing thread; it only observes: nothing it measures reaches state.
/// </summary>
public static class CloseSections
{
    [ThreadStatic] private static Action<string, double>? _sink;

    /// <summary>Sets (or clears, with null) the executing thread's sink: section name, milliseconds.</summary>
    public static void SetSink(Action<string, double>? sink) => _sink = sink;

    /// <summary>Times the section until disposed (a no-op without a sink).</summary>
    public static Section Measure(string name) => new(_sink is null ? null : name, _sink is null ? 0 : Stopwatch.GetTimestamp());

    public readonly struct Section(string? name, long started) : IDisposable
    {
        public void Dispose()
        {
            if (name is not null) _sink?.Invoke(name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
