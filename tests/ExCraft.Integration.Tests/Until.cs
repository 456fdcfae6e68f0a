namespace ExCraft.Integration.Tests;

/// <summary>Bounded waits for the condition a test asserts (not for a proxy such as a height or a sleep).</summary>
public static class Until
{
    /// <summary>Polls until the condition holds; fails the test with what was awaited if the bound passes first.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? details = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds:0} s{(details is null ? "" : "\n" + details())}");
            await Task.Delay(50);
        }
    }
}
