namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// Runs the pure per-item work of an epoch's close (decoding, valuing, hashing) on every core.
/// Each item writes only its own result slot, so the outcome is the same however the work is
/// scheduled. Small inputs run inline (threads cost more than they save there).
/// </summary>
internal static class SlotParallel
{
    private const int MinItemsPerWorker = 4_096;

    public static void For(int count, Action<int> body)
    {
        var workers = Math.Min(Environment.ProcessorCount, count / MinItemsPerWorker);
        if (workers < 2)
        {
            for (var i = 0; i < count; i++) body(i);
            return;
        }
        var chunk = (count + workers - 1) / workers;
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            {
                var end = Math.Min(count, (w + 1) * chunk);
                for (var i = w * chunk; i < end; i++) body(i);
            });
        }
        catch (AggregateException)
        {
            // Which worker failed first depends on timing; running the items in order again throws the
            // first failing item's own exception, the same on every node (the body only fills slots).
            for (var i = 0; i < count; i++) body(i);
            throw;
        }
    }
}
