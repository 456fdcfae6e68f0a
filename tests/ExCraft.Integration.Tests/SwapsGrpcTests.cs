using System.Security.Cryptography;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;
using ExCraft.Grpc.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace ExCraft.Integration.Tests;

/// <summary>
/// excraft.v1.SwapsService over real gRPC on a dev node: offers (get, open list, by account, escrow)
/// and HTLCs (get, by hash lock) read the same records as JSON-RPC, with the same limits and errors.
/// </summary>
public sealed class SwapsGrpcTests : IAsyncLifetime
{
    private static readonly Address Alice = Wallet.Dev(0).Address;
    private static readonly Address Bob = Wallet.Dev(1).Address;
    private static readonly UInt128 Given = Amount.FromWhole(25);
    private static readonly byte[] Preimage = Enumerable.Range(50, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] HashLock = SHA256.HashData(Preimage);

    private readonly NodeProcess _node = new();
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        await _node.StartWithGrpcAsync();
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_node.GrpcPort}");
    }

    public Task DisposeAsync()
    {
        _channel?.Dispose();
        _node.Dispose();
        return Task.CompletedTask;
    }

    private SwapsService.SwapsServiceClient Swaps => new(_channel);

    private static DateTime Deadline => DateTime.UtcNow + TimeSpan.FromSeconds(30);

    private async Task SendAndWaitAsync(string raw)
    {
        var receipt = await _node.Rpc.WaitForReceiptAsync((await _node.Rpc.CallAsync("ext_sendRawTransaction", raw))!.GetValue<string>());
        Assert.Equal("success", receipt["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Offers_and_htlcs_read_over_grpc_as_over_json_rpc()
    {
        var head = (await _node.Rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>();
        await SendAndWaitAsync(Wallet.Sign(0, new SwapOfferPostPayload(SwapOfferSide.MakerGivesNative, "EXT", Given, SwapOfferRules.Bitcoin, SwapOfferRules.Btc,
            100_000, Wallet.Dev(0).PublicKey.Compressed, HashLock, 600, 3_600, head + 10_000), 0));
        var offerId = SwapOfferRules.IdOf(Alice, 0);
        var id = ByteString.CopyFrom(offerId);

        var offer = await Swaps.GetSwapOfferAsync(new GetSwapOfferRequest { Id = id }, deadline: Deadline);
        Assert.Equal((Alice.ToString(), "native", Given.ToString(), "100000", "open", Given.ToString()),
            (offer.Maker, offer.MakerGives, offer.NativeAmount, offer.OutsideAmount, offer.Status, offer.Escrowed));
        Assert.Equal(HashLock, offer.HashLock.ToByteArray());
        Assert.Equal(id, Assert.Single((await Swaps.ListOpenSwapOffersAsync(new ListOpenSwapOffersRequest(), deadline: Deadline)).Offers).Id);
        Assert.Equal(Given.ToString(), Assert.Single((await Swaps.GetSwapOfferEscrowAsync(new GetSwapOfferEscrowRequest(), deadline: Deadline)).Totals).Amount);

        // Bob takes, then claims: the HTLC (the offer's id) is found by its hash lock, with the preimage once claimed.
        await SendAndWaitAsync(Wallet.Sign(1, new SwapOfferTakePayload(offerId, Wallet.Dev(1).PublicKey.Compressed, []), 0));
        Assert.Empty((await Swaps.ListOpenSwapOffersAsync(new ListOpenSwapOffersRequest { Limit = 10 }, deadline: Deadline)).Offers);
        var mine = await Swaps.ListSwapOffersByAccountAsync(new ListSwapOffersByAccountRequest { Account = Bob.ToString() }, deadline: Deadline);
        Assert.Equal(("taken", Bob.ToString(), "0"), (Assert.Single(mine.Offers).Status, mine.Offers[0].Taker, mine.Offers[0].Escrowed));
        Assert.True(mine.Next.IsEmpty);
        await SendAndWaitAsync(Wallet.Sign(1, new HtlcClaimPayload(offerId, Preimage), 1));
        var htlc = await Swaps.GetHtlcAsync(new GetHtlcRequest { Id = id }, deadline: Deadline);
        Assert.Equal((Alice.ToString(), Bob.ToString(), Given.ToString(), "claimed"), (htlc.Sender, htlc.Recipient, htlc.Amount, htlc.Status));
        Assert.Equal(Preimage, htlc.Preimage.ToByteArray());
        var byHash = await Swaps.ListHtlcsByHashLockAsync(new ListHtlcsByHashLockRequest { HashLock = ByteString.CopyFrom(HashLock) }, deadline: Deadline);
        Assert.Equal(id, Assert.Single(byHash.Htlcs).Id);
        Assert.Empty((await Swaps.ListHtlcsByHashLockAsync(new ListHtlcsByHashLockRequest { HashLock = ByteString.CopyFrom(new byte[32]) }, deadline: Deadline)).Htlcs);

        // Errors as the other gRPC services give them.
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() =>
            Swaps.GetSwapOfferAsync(new GetSwapOfferRequest { Id = ByteString.CopyFrom(SwapOfferRules.IdOf(Bob, 9)) }, deadline: Deadline).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() =>
            Swaps.GetHtlcAsync(new GetHtlcRequest { Id = ByteString.CopyFrom(new byte[32]) }, deadline: Deadline).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() =>
            Swaps.GetSwapOfferAsync(new GetSwapOfferRequest { Id = ByteString.CopyFrom(new byte[31]) }, deadline: Deadline).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() =>
            Swaps.ListOpenSwapOffersAsync(new ListOpenSwapOffersRequest { Limit = 101 }, deadline: Deadline).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() =>
            Swaps.ListHtlcsByHashLockAsync(new ListHtlcsByHashLockRequest { HashLock = ByteString.CopyFrom(new byte[20]) }, deadline: Deadline).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() =>
            Swaps.ListSwapOffersByAccountAsync(new ListSwapOffersByAccountRequest { Account = "ext1nothing" }, deadline: Deadline).ResponseAsync)).StatusCode);
    }
}
