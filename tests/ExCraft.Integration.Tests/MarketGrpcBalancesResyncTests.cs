extern alias GrpcServer;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using ExCraft.Node;
using ExCraft.Rpc.MarketData;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Server = GrpcServer::ExCraft.Grpc;
using ServerV1 = GrpcServer::ExCraft.Grpc.V1;

namespace ExCraft.Integration.Tests;

/// <summary>
/// MarketsService.StreamBalances when its client stops reading: the node's real service, market-data
/// index and dev chain in process (a node process cannot be made to fall behind quickly: HTTP/2 and
/// Kestrel buffer about a thousand small messages first). Carol receives a transfer in each of 300
/// blocks while the stream's writer is stuck: every block still commits (the commit path never
/// waits on a subscriber), and once the writer moves again the stream delivers what it had queued,
/// a RESYNC notice and ends with RESOURCE_EXHAUSTED; later blocks are not sent.
/// </summary>
public sealed class MarketGrpcBalancesResyncTests : IDisposable
{
    private const int Blocks = 300;
    private static readonly Address Carol = Wallet.Dev(2).Address;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "excraft-resync-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_subscriber_that_stops_reading_gets_a_resync_notice_and_is_dropped_while_blocks_keep_committing()
    {
        using var dev = InProcessDevChain.Open(_directory);
        var (chain, ingress, producer) = (dev.Chain, dev.Ingress, dev.Producer);
        var index = MarketDataIndex.Open(chain);
        var lifetime = new Lifetime();
        var service = new Server.MarketsGrpcService(chain, index, lifetime);

        var writer = new StuckWriter();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(80));
        var call = service.StreamBalances(new ServerV1.AccountStreamRequest { Address = Carol.ToString() }, writer, new CallContext(cancel.Token));
        await Until.TrueAsync(() => Task.FromResult(writer.Count > 0), TimeSpan.FromSeconds(30), "the balances snapshot", () => $"call: {call.Status} {call.Exception}");

        // 300 blocks, each with a transfer to Carol (100 ms apart: no epoch end among them). The
        // first block's change is taken off the queue and the writer sticks on it; the rest queue up.
        var time = chain.Head.TimeMs;
        void Block(ulong nonce)
        {
            var tx = Transaction.Create(Wallet.DevChainId, nonce, Wallet.Fee, new TransferPayload(Carol, "EXT", Amount.Parse("1")), Wallet.Dev(0));
            var submitted = ingress.Submit(tx.Encoded);
            Assert.True(submitted.Reason is null, submitted.Error);
            var (_, receipts) = producer.ProduceBlock(time += 100);
            Assert.Single(receipts);
        }
        Block(0);
        await Until.TrueAsync(() => Task.FromResult(writer.Stuck), TimeSpan.FromSeconds(30), "the writer stuck on the first change");
        var produce = Task.Run(() =>
        {
            for (ulong n = 1; n < Blocks; n++) Block(n);
        });
        // Bounded: a commit path that waited for the stuck subscriber would never finish.
        Assert.Same(produce, await Task.WhenAny(produce, Task.Delay(TimeSpan.FromSeconds(60))));
        await produce;
        var head = chain.Head.Height;
        Assert.False(call.IsCompleted); // still stuck writing its first change

        writer.Release();
        var ended = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.ResourceExhausted, ended.StatusCode);
        Assert.Contains($"more than {Server.MarketFeed<ServerV1.BalancesUpdate>.Capacity} updates behind", ended.Status.Detail);

        var messages = writer.Messages;
        Assert.Equal(ServerV1.BalancesUpdate.Types.Kind.Snapshot, messages[0].Kind);
        var changes = messages.Skip(1).TakeWhile(m => m.Kind == ServerV1.BalancesUpdate.Types.Kind.Changes).ToList();
        // The one being written when the writer stuck, then a full queue; the block after that overflowed it.
        Assert.Equal(1 + Server.MarketFeed<ServerV1.BalancesUpdate>.Capacity, changes.Count);
        Assert.Equal(Enumerable.Range(0, changes.Count).Select(i => messages[0].Height + 1 + (ulong)i), changes.Select(c => c.Height));
        var start = UInt128.Parse(messages[0].Balances.Single(b => b.Asset == "EXT").Balance);
        Assert.Equal((start + (ulong)changes.Count * Amount.Parse("1")).ToString(), changes[^1].Balances.Single(b => b.Asset == "EXT").Balance);
        var resync = messages[1 + changes.Count];
        Assert.Equal((ServerV1.BalancesUpdate.Types.Kind.Resync, Carol.ToString()), (resync.Kind, resync.Account));
        Assert.Contains("subscribe again", resync.Reason);
        Assert.Equal(2 + changes.Count, messages.Count); // nothing after the notice
        Assert.True(changes[^1].Height < head, $"the stream was dropped before the last block ({changes[^1].Height} of {head})");
    }

    /// <summary>A client that reads the first message and then stops until <see cref="Release"/>.</summary>
    private sealed class StuckWriter : IServerStreamWriter<ServerV1.BalancesUpdate>
    {
        private readonly List<ServerV1.BalancesUpdate> _messages = [];
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public WriteOptions? WriteOptions { get; set; }

        public int Count { get { lock (_messages) return _messages.Count; } }

        public List<ServerV1.BalancesUpdate> Messages { get { lock (_messages) return [.. _messages]; } }

        public bool Stuck { get; private set; }

        public void Release() => _released.TrySetResult();

        public Task WriteAsync(ServerV1.BalancesUpdate message) => WriteAsync(message, CancellationToken.None);

        // The service writes with a token; the default interface method would refuse a cancellable one.
        public async Task WriteAsync(ServerV1.BalancesUpdate message, CancellationToken cancellationToken)
        {
            int count;
            lock (_messages) count = _messages.Count;
            if (count > 0 && !_released.Task.IsCompleted)
            {
                Stuck = true;
                await _released.Task;
            }
            lock (_messages) _messages.Add(message);
        }
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }

    /// <summary>The parts of a gRPC call the service reads: its cancellation.</summary>
    private sealed class CallContext(CancellationToken cancel) : ServerCallContext
    {
        protected override string MethodCore => "/excraft.v1.MarketsService/StreamBalances";
        protected override string HostCore => "127.0.0.1";
        protected override string PeerCore => "ipv4:127.0.0.1:0";
        protected override DateTime DeadlineCore => DateTime.MaxValue;
        protected override Metadata RequestHeadersCore { get; } = [];
        protected override CancellationToken CancellationTokenCore => cancel;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore => new(null, []);
        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
