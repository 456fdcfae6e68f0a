using ExCraft.Chain.Execution;

namespace ExCraft.Chain.Modules.Pools.Handlers;

/// <summary>State checks the pool handlers share, each failing the transaction with a clear reason.</summary>
internal static class PoolHandlerChecks
{
    public const uint MaxRetainedPpm = 1_000_000;

    public static string? Retained(uint ppm) => ppm > MaxRetainedPpm ? $"retained percentage is at most {MaxRetainedPpm} ppm (100%), got {ppm}" : null;

    public static string? PoolId(ulong id, string what = "pool") => id == 0 ? $"{what} id must be greater than zero" : null;

    /// <summary>The pool, which must exist and not be deleted.</summary>
    public static PoolRecord Live(TxContext c, ulong id)
    {
        var pool = PoolsState.ReadPool(c.State, id) ?? throw new TransactionFailedException($"pool {id} does not exist");
        if (pool.Deleted) throw new TransactionFailedException($"pool {id} ({pool.Name}) was deleted in epoch {pool.DeletedEpoch}");
        return pool;
    }

    /// <summary>The live pool, whose master must be the sender.</summary>
    public static PoolRecord Mastered(TxContext c, ulong id)
    {
        var pool = Live(c, id);
        if (pool.Master != c.Sender) throw new TransactionFailedException($"only pool {id}'s master {pool.Master} may change it, not {c.Sender}");
        return pool;
    }
}
