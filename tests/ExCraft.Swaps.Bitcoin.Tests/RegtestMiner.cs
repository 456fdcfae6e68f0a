namespace ExCraft.Swaps.Bitcoin.Tests;

/// <summary>
/// Extends a bcoin regtest chain by one block every interval until disposed, as a live chain's
/// miners would: swap tests whose timeouts are heights need the chain to move on its own.
/// </summary>
public sealed class RegtestMiner : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public RegtestMiner(BcoinFixture bitcoin, TimeSpan interval) => loop = RunAsync(bitcoin, interval, stop.Token);

    private static async Task RunAsync(BcoinFixture bitcoin, TimeSpan interval, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await bitcoin.MineAsync(1);
            try
            {
                await Task.Delay(interval, stop);
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
