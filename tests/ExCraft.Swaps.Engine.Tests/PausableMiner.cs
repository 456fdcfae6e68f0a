using ExCraft.Swaps.Ethereum.Tests;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// The test as anvil's only miner: a block every 300 ms until disposed; while paused, none, and
/// pausing waits for a block being mined to finish. Stuck-transaction tests pause it so nothing is
/// mined between a transaction being priced and it reaching the pool, then raise the base fee.
/// </summary>
internal sealed class PausableMiner : IAsyncDisposable
{
    private readonly AnvilNode anvil;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private bool paused;

    private PausableMiner(AnvilNode anvil)
    {
        this.anvil = anvil;
        loop = RunAsync(stop.Token);
    }

    /// <summary>Turns off anvil's own mining (interval and automine) and starts mining from the test.</summary>
    public static async Task<PausableMiner> TakeOverAsync(AnvilNode anvil)
    {
        await anvil.Web3.Client.SendRequestAsync("evm_setIntervalMining", null, 0);
        await anvil.SetAutomineAsync(false);
        return new PausableMiner(anvil);
    }

    public void Pause()
    {
        gate.Wait();
        paused = true;
        gate.Release();
    }

    public void Resume()
    {
        gate.Wait();
        paused = false;
        gate.Release();
    }

    private async Task RunAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                if (!paused) await anvil.MineAsync();
            }
            finally
            {
                gate.Release();
            }
            try
            {
                await Task.Delay(300, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        await loop;
        stop.Dispose();
    }
}
