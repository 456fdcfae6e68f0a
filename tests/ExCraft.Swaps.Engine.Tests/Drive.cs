using System.Collections.Concurrent;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>Runs engines to their end with a bound, keeping their step errors for the failure message.</summary>
public static class Drive
{
    public static SwapEngineOptions Options(int marginSeconds, int windowSeconds, Action<SwapEvent>? onEvent = null) => new()
    {
        SafetyMargin = TimeSpan.FromSeconds(marginSeconds),
        MinClaimWindow = TimeSpan.FromSeconds(windowSeconds),
        PollInterval = TimeSpan.FromMilliseconds(200),
        OnEvent = onEvent,
    };

    /// <summary>Runs until the swap is finished; fails with the log and the errors if <paramref name="bound"/> passes first.</summary>
    public static async Task<SwapState> ToEndAsync(SwapEngine engine, TimeSpan bound)
    {
        var errors = new ConcurrentQueue<string>();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            return await engine.RunAsync(e => errors.Enqueue(e.Message), timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"swap {engine.Id[..8]} not finished within {bound.TotalSeconds:0} s.\n{Describe(engine.State)}\nerrors:\n{string.Join("\n", errors.Take(20))}");
        }
    }

    /// <summary>Runs until <paramref name="stop"/> is cancelled (a simulated crash: the engine is dropped between two events).</summary>
    public static async Task UntilCrashAsync(SwapEngine engine, CancellationTokenSource stop, TimeSpan bound)
    {
        stop.CancelAfter(bound);
        try
        {
            await engine.RunAsync(null, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // the crash
        }
    }

    /// <summary>
    /// The kill-and-resume step: runs <paramref name="engine"/> until <paramref name="crash"/> is
    /// cancelled, checks that it was dropped right after logging <paramref name="crashAfter"/>,
    /// then opens a new engine on the same log (as a restarted process would) and runs it to the end.
    /// </summary>
    public static async Task<SwapState> CrashThenResumeAsync(
        SwapEngine engine, CancellationTokenSource crash, string crashAfter, SwapStore store, SwapLegs legs, SwapEngineOptions resumeOptions, TimeSpan bound)
    {
        await UntilCrashAsync(engine, crash, bound);
        var dropped = engine.State;
        if (dropped.Events[^1].Type != crashAfter)
            throw new Xunit.Sdk.XunitException($"the engine was to be dropped right after '{crashAfter}', its log ends:\n{Describe(dropped)}");
        return await ToEndAsync(SwapEngine.Open(store, engine.Id, legs, resumeOptions), bound);
    }

    public static string Describe(SwapState state) =>
        string.Join("\n", state.Events.Select(e => e.ToJson().ToJsonString()));

    public static IReadOnlyList<string> Types(SwapState state) => state.Events.Select(e => e.Type).ToList();
}
