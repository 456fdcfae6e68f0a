namespace ExCraft.Integration.Tests;

/// <summary>A test class that gets its own fresh dev node, started before each test and killed after.</summary>
public abstract class NodeTest : IAsyncLifetime
{
    protected NodeProcess Node { get; } = new();

    protected RpcClient Rpc => Node.Rpc;

    public Task InitializeAsync() => Node.StartAsync();

    public Task DisposeAsync()
    {
        Node.Dispose();
        return Task.CompletedTask;
    }
}
