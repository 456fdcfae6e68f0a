using System.Net.Sockets;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Grpc.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;

namespace ExCraft.Integration.Tests;

/// <summary>
/// The gRPC API of a real dev node on 127.0.0.1, called through a client generated from the
/// node's .proto files. Answers are checked against JSON-RPC's for the same question.
/// </summary>
public sealed class GrpcTests : IAsyncLifetime
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly Address Alice = Wallet.Dev(0).Address;
    private static readonly Address Bob = Wallet.Dev(1).Address;

    private readonly NodeProcess _node = new();
    private GrpcChannel _channel = null!;

    private RpcClient Rpc => _node.Rpc;

    public async Task InitializeAsync()
    {
        await _node.StartWithGrpcAsync();
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_node.GrpcPort}", new GrpcChannelOptions { MaxReceiveMessageSize = 16 * 1024 * 1024 });
    }

    public Task DisposeAsync()
    {
        _channel?.Dispose();
        _node.Dispose();
        return Task.CompletedTask;
    }

    private ChainService.ChainServiceClient Chain => new(_channel);
    private TransactionService.TransactionServiceClient Transactions => new(_channel);
    private AccountsService.AccountsServiceClient Accounts => new(_channel);
    private StakingService.StakingServiceClient Staking => new(_channel);

    private static DateTime Deadline => DateTime.UtcNow + CallTimeout;

    [Fact]
    public async Task Node_info_and_blocks_by_height_and_hash_match_json_rpc()
    {
        await WaitForHeightAsync(2);
        var info = await Chain.GetNodeInfoAsync(new GetNodeInfoRequest(), deadline: Deadline);
        Assert.Equal(Wallet.DevChainId, info.ChainId);
        Assert.Equal("single", info.Mode);
        Assert.Equal(DevKeys.Validator.Address.ToString(), info.Validator);
        Assert.True(info.Height >= 2);
        var rpcInfo = (await Rpc.CallAsync("ext_nodeInfo"))!;
        Assert.Equal(rpcInfo["genesisHash"]!.GetValue<string>(), Hex.Encode(info.GenesisHash.ToByteArray()));
        Assert.Equal(rpcInfo["chainName"]!.GetValue<string>(), info.ChainName);
        Assert.Equal(rpcInfo["version"]!.GetValue<string>(), info.Version);

        var block = await Chain.GetBlockByHeightAsync(new GetBlockByHeightRequest { Height = 2 }, deadline: Deadline);
        Assert.Equal(2UL, block.Header.Height);
        Assert.Equal(1UL, block.LastCommit.Height);
        var rpcBlock = (await Rpc.CallAsync("ext_getBlockByNumber", 2))!;
        Assert.Equal(rpcBlock["hash"]!.GetValue<string>(), Hex.Encode(block.Header.Hash.ToByteArray()));
        Assert.Equal(rpcBlock["appHash"]!.GetValue<string>(), Hex.Encode(block.Header.AppHash.ToByteArray()));
        Assert.Equal(rpcBlock["proposer"]!.GetValue<string>(), block.Header.Proposer);

        var byHash = await Chain.GetBlockByHashAsync(new GetBlockByHashRequest { Hash = block.Header.Hash }, deadline: Deadline);
        Assert.Equal(block, byHash);
        var first = await Chain.GetBlockByHeightAsync(new GetBlockByHeightRequest { Height = 1 }, deadline: Deadline);
        Assert.Equal(first.Header.Hash, block.Header.PreviousHash);
        var latest = await Chain.GetBlockByHeightAsync(new GetBlockByHeightRequest(), deadline: Deadline);
        Assert.True(latest.Header.Height >= 2);
    }

    [Fact]
    public async Task Transfer_broadcast_over_grpc_commits_with_receipt_balances_and_a_streamed_event()
    {
        using var streamStop = new CancellationTokenSource(CallTimeout);
        // From the block after the current head: a live-only stream is set up on the node some time
        // after this call returns, and on a slow machine the transfer's block may come before that.
        var head = (await Chain.GetNodeInfoAsync(new GetNodeInfoRequest(), deadline: Deadline)).Height;
        using var stream = Chain.StreamBlocks(new StreamBlocksRequest { FullTransactions = true, FromHeight = head + 1 }, cancellationToken: streamStop.Token);
        var bobBefore = UInt128.Parse(await Rpc.BalanceAsync(Bob.ToString()));
        var amount = Amount.Parse("3.5");
        var raw = Hex.Decode(Wallet.Transfer(0, Bob, amount, 0));

        var sent = await Transactions.SendRawTransactionAsync(new SendRawTransactionRequest { Raw = ByteString.CopyFrom(raw) }, deadline: Deadline);
        var hash = sent.Hash.ToByteArray();
        Assert.Equal(Keccak256.Hash(raw), hash);

        var receipt = await WaitForReceiptAsync(sent.Hash);
        Assert.True(receipt.Success);
        Assert.Equal(Alice.ToString(), receipt.From);
        Assert.Equal(Wallet.Fee.ToString(), receipt.FeePaid);
        var transfer = Assert.Single(receipt.Events, e => e.Type == "transfer");
        Assert.Equal(Bob.ToString(), Attribute(transfer, "to"));
        Assert.Equal(amount.ToString(), Attribute(transfer, "amount"));
        Assert.Equal("EXT", Attribute(transfer, "asset"));

        var tx = await Chain.GetTransactionAsync(new GetTransactionRequest { Hash = sent.Hash }, deadline: Deadline);
        Assert.False(tx.Pending);
        Assert.Equal("transfer", tx.Kind);
        Assert.Equal(receipt.BlockHeight, tx.BlockHeight);
        var amountField = Assert.Single(tx.Payload, f => f.Name == "amount");
        Assert.Equal((amount.ToString(), "amount", "EXT"), (amountField.Value, amountField.Type, amountField.Asset));
        Assert.Equal((Bob.ToString(), "address"), Assert.Single(tx.Payload, f => f.Name == "to") is var to ? (to.Value, to.Type) : default);
        // The same fields, in the same order, as JSON-RPC's payload object.
        var rpcPayload = (await Rpc.CallAsync("ext_getTransaction", Hex.Encode(hash)))!["payload"]!.AsObject();
        Assert.Equal(rpcPayload.Select(p => p.Key), tx.Payload.Select(f => f.Name));
        Assert.Equal(raw, tx.Raw.ToByteArray());

        // Balances after it: what the transfer implies, and the same as JSON-RPC reports.
        var bob = await Accounts.GetBalanceAsync(new GetBalanceRequest { Address = Bob.ToString() }, deadline: Deadline);
        Assert.Equal((bobBefore + amount).ToString(), bob.Balance_);
        Assert.Equal(18, bob.Decimals);
        Assert.Equal(await Rpc.BalanceAsync(Bob.ToString()), bob.Balance_);
        var alice = await Accounts.GetBalanceAsync(new GetBalanceRequest { Address = Alice.ToString(), Asset = "EXT" }, deadline: Deadline);
        Assert.Equal((Amount.FromWhole(1_000_000) - amount - Wallet.Fee).ToString(), alice.Balance_);
        Assert.Equal(Amount.Format(Amount.FromWhole(1_000_000) - amount - Wallet.Fee, 18), alice.Formatted);
        var all = await Accounts.GetBalancesAsync(new GetBalancesRequest { Address = Alice.ToString() }, deadline: Deadline);
        Assert.Equal(alice, Assert.Single(all.Balances_, b => b.Asset == "EXT"));
        Assert.Equal(1UL, (await Accounts.GetNonceAsync(new GetNonceRequest { Address = Alice.ToString() }, deadline: Deadline)).Nonce_);
        Assert.Equal(1UL, (await Accounts.GetNonceAsync(new GetNonceRequest { Address = Alice.ToString(), Pending = true }, deadline: Deadline)).Nonce_);

        // The stream delivers the committed block that carries it, with its receipt and transfer event.
        CommittedBlock? carrying = null;
        while (carrying is null && await stream.ResponseStream.MoveNext(streamStop.Token))
        {
            var committed = stream.ResponseStream.Current;
            Assert.Equal(committed.Block.TransactionHashes.Count, committed.Receipts.Count);
            if (committed.Block.TransactionHashes.Contains(sent.Hash)) carrying = committed;
        }
        Assert.NotNull(carrying);
        Assert.Equal(receipt.BlockHeight, carrying.Block.Header.Height);
        Assert.Equal(receipt, Assert.Single(carrying.Receipts));
        Assert.Equal(Alice.ToString(), Assert.Single(carrying.Block.Transactions).From);
    }

    [Fact]
    public async Task Accounts_assets_and_staking_answer_as_json_rpc_does()
    {
        var assets = await Accounts.ListAssetsAsync(new ListAssetsRequest(), deadline: Deadline);
        var ext = Assert.Single(assets.Assets_, a => a.Symbol == "EXT");
        Assert.Equal(ext, await Accounts.GetAssetAsync(new GetAssetRequest { Symbol = "EXT" }, deadline: Deadline));
        var rpcExt = (await Rpc.CallAsync("ext_getAsset", "EXT"))!;
        Assert.Equal(rpcExt["supply"]!.GetValue<string>(), ext.Supply);
        Assert.Equal(rpcExt["decimals"]!.GetValue<int>(), ext.Decimals);
        Assert.Equal(rpcExt["issuer"]!.GetValue<string>(), ext.Issuer);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => Accounts.GetAssetAsync(new GetAssetRequest { Symbol = "NOPE" }, deadline: Deadline).ResponseAsync)).StatusCode);

        var unknownAsset = await Assert.ThrowsAsync<RpcException>(() => Accounts.GetBalanceAsync(new GetBalanceRequest { Address = Alice.ToString(), Asset = "NOPE" }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, unknownAsset.StatusCode);
        Assert.Equal((await Rpc.CallRawAsync("ext_getBalance", Alice.ToString(), "NOPE"))["error"]!["message"]!.GetValue<string>(), unknownAsset.Status.Detail);
        var badAddress = await Assert.ThrowsAsync<RpcException>(() => Accounts.GetBalanceAsync(new GetBalanceRequest { Address = "ext1notanaddress" }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, badAddress.StatusCode);
        Assert.StartsWith("address: ", badAddress.Status.Detail);
        // The problem text is JSON-RPC's; only the prefix naming the field differs.
        var rpcBadAddress = (await Rpc.CallRawAsync("ext_getBalance", "ext1notanaddress"))["error"]!["message"]!.GetValue<string>();
        Assert.EndsWith(badAddress.Status.Detail["address: ".Length..], rpcBadAddress);

        // Echoed input is cut as JSON-RPC cuts it, so a huge field never makes a huge status (a trailer).
        var longSymbol = new string('A', 200);
        var longAsset = await Assert.ThrowsAsync<RpcException>(() => Accounts.GetBalanceAsync(new GetBalanceRequest { Address = Alice.ToString(), Asset = longSymbol }, deadline: Deadline).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, $"unknown asset {longSymbol[..64]}... (200 characters)"), (longAsset.StatusCode, longAsset.Status.Detail));
        var longAddress = await Assert.ThrowsAsync<RpcException>(() => Accounts.GetBalanceAsync(new GetBalanceRequest { Address = new string('x', 100_000) + "1qqqq" }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, longAddress.StatusCode);
        Assert.InRange(longAddress.Status.Detail.Length, 1, 512 + "... (cut)".Length);

        var validators = await Staking.GetValidatorsAsync(new GetValidatorsRequest(), deadline: Deadline);
        var rpcValidators = (await Rpc.CallAsync("ext_getValidators"))!;
        Assert.Equal(rpcValidators["totalPower"]!.GetValue<ulong>(), validators.TotalPower);
        Assert.Equal(rpcValidators["validators"]!.AsArray().Select(v => v!["operator"]!.GetValue<string>()), validators.Validators.Select(v => v.Operator));
        var active = Assert.Single(validators.Active);
        Assert.Equal(DevKeys.Validator.Address.ToString(), active.ConsensusAddress);
        Assert.True(active.Power > 0);
        var one = await Staking.GetValidatorAsync(new GetValidatorRequest { Operator = active.Operator }, deadline: Deadline);
        Assert.Equal(validators.Validators.Single(v => v.Operator == active.Operator), one);
        Assert.True(one.Active);
        Assert.Equal((await Rpc.CallAsync("ext_getValidator", active.Operator))!["tokens"]!.GetValue<string>(), one.Tokens);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => Staking.GetValidatorAsync(new GetValidatorRequest { Operator = Bob.ToString() }, deadline: Deadline).ResponseAsync)).StatusCode);

        var delegations = await Staking.GetDelegationsAsync(new GetDelegationsRequest { Delegator = active.Operator }, deadline: Deadline);
        var rpcDelegations = (await Rpc.CallAsync("ext_getDelegations", active.Operator))!.AsArray();
        Assert.Equal(rpcDelegations.Select(d => (d!["validator"]!.GetValue<string>(), d["amount"]!.GetValue<string>())), delegations.Delegations_.Select(d => (d.Validator, d.Amount)));
        Assert.Empty((await Staking.GetUnbondingsAsync(new GetUnbondingsRequest { Delegator = Alice.ToString() }, deadline: Deadline)).Unbondings_);

        var parameters = await Staking.GetParamsAsync(new GetParamsRequest(), deadline: Deadline);
        var rpcParameters = (await Rpc.CallAsync("ext_getStakingParams"))!;
        Assert.Equal(rpcParameters["minFee"]!.GetValue<string>(), parameters.MinFee);
        Assert.Equal(rpcParameters["minSelfBond"]!.GetValue<string>(), parameters.MinSelfBond);
        Assert.Equal(rpcParameters["unbondingPeriodMs"]!.GetValue<ulong>(), parameters.UnbondingPeriodMs);
    }

    [Fact]
    public async Task The_block_stream_replays_from_a_height_then_goes_on_live_without_gap_or_repeat()
    {
        await WaitForHeightAsync(3);
        using var streamStop = new CancellationTokenSource(CallTimeout);
        using var stream = Chain.StreamBlocks(new StreamBlocksRequest { FromHeight = 1 }, cancellationToken: streamStop.Token);
        var headAtStart = (await Chain.GetNodeInfoAsync(new GetNodeInfoRequest(), deadline: Deadline)).Height;
        var heights = new List<ulong>();
        // Past the head at the start: the replayed part and at least three live blocks.
        while (heights.Count < (int)headAtStart + 3 && await stream.ResponseStream.MoveNext(streamStop.Token))
        {
            var committed = stream.ResponseStream.Current;
            heights.Add(committed.Block.Header.Height);
            Assert.Equal(committed.Block.TransactionHashes.Count, committed.Receipts.Count);
        }
        Assert.Equal(Enumerable.Range(1, heights.Count).Select(h => (ulong)h), heights);
        Assert.True(heights[^1] > headAtStart);
    }

    [Fact]
    public async Task Bad_transactions_get_grpc_codes_with_the_json_rpc_messages()
    {
        await AssertRejectedLikeJsonRpcAsync([0xc0, 0x01, 0x02], StatusCode.InvalidArgument, "malformed", -32010);
        await AssertRejectedLikeJsonRpcAsync([], StatusCode.InvalidArgument, "malformed", -32010);
        await AssertRejectedLikeJsonRpcAsync(Hex.Decode(Wallet.Transfer(0, Bob, 1, 0, chainId: 77)), StatusCode.InvalidArgument, "wrong_chain", -32011);
        await AssertRejectedLikeJsonRpcAsync(Hex.Decode(Wallet.Transfer(0, Bob, 1, 5)), StatusCode.FailedPrecondition, "nonce_gap", -32014);
        await AssertRejectedLikeJsonRpcAsync(Hex.Decode(Wallet.Transfer(0, Bob, Amount.FromWhole(2_000_000), 0)), StatusCode.FailedPrecondition, "insufficient_funds", -32016);

        var accepted = Hex.Decode(Wallet.Transfer(0, Bob, 1, 0));
        await Transactions.SendRawTransactionAsync(new SendRawTransactionRequest { Raw = ByteString.CopyFrom(accepted) }, deadline: Deadline);
        var duplicate = await Assert.ThrowsAsync<RpcException>(() => Transactions.SendRawTransactionAsync(new SendRawTransactionRequest { Raw = ByteString.CopyFrom(accepted) }, deadline: Deadline).ResponseAsync);
        // Blocks come fast: the first copy is either still pending (a duplicate) or already
        // committed, and then the repeat's nonce is used (a precondition failure, with a receipt).
        if (duplicate.StatusCode == StatusCode.AlreadyExists)
            Assert.Equal("duplicate", duplicate.Trailers.GetValue("excraft-reason"));
        else
        {
            Assert.Equal(StatusCode.FailedPrecondition, duplicate.StatusCode);
            Assert.Equal("nonce_too_low", duplicate.Trailers.GetValue("excraft-reason"));
            var receipt = await Chain.GetReceiptAsync(new GetReceiptRequest { Hash = ByteString.CopyFrom(Keccak256.Hash(accepted)) }, deadline: Deadline);
            Assert.True(receipt.Success);
        }

        // None of the refused ones entered the mempool or the chain: the accepted transfer (pending
        // or committed by now) is the only one, so the next nonce counting the mempool is 1.
        Assert.Equal(1UL, (await Accounts.GetNonceAsync(new GetNonceRequest { Address = Alice.ToString(), Pending = true }, deadline: Deadline)).Nonce_);
    }

    [Fact]
    public async Task Unknown_blocks_and_transactions_are_not_found_and_bad_hashes_invalid()
    {
        var head = (await Chain.GetNodeInfoAsync(new GetNodeInfoRequest(), deadline: Deadline)).Height;
        var tooHigh = await Assert.ThrowsAsync<RpcException>(() => Chain.GetBlockByHeightAsync(new GetBlockByHeightRequest { Height = head + 1_000_000 }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, tooHigh.StatusCode);
        Assert.StartsWith($"block {head + 1_000_000} not found", tooHigh.Status.Detail);
        var zero = await Assert.ThrowsAsync<RpcException>(() => Chain.GetBlockByHeightAsync(new GetBlockByHeightRequest { Height = 0 }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, zero.StatusCode);

        var unknown = ByteString.CopyFrom(Keccak256.Hash([1, 2, 3]));
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => Chain.GetBlockByHashAsync(new GetBlockByHashRequest { Hash = unknown }, deadline: Deadline).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => Chain.GetReceiptAsync(new GetReceiptRequest { Hash = unknown }, deadline: Deadline).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => Chain.GetTransactionAsync(new GetTransactionRequest { Hash = unknown }, deadline: Deadline).ResponseAsync)).StatusCode);

        var shortHash = await Assert.ThrowsAsync<RpcException>(() => Chain.GetBlockByHashAsync(new GetBlockByHashRequest { Hash = ByteString.CopyFrom(new byte[31]) }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, shortHash.StatusCode);
        Assert.Equal("hash: must be 32 bytes, got 31", shortHash.Status.Detail);
        var zeroFrom = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var stream = Chain.StreamBlocks(new StreamBlocksRequest { FromHeight = 0 }, deadline: Deadline);
            await stream.ResponseStream.MoveNext();
        });
        Assert.Equal(StatusCode.InvalidArgument, zeroFrom.StatusCode);
    }

    [Fact]
    public async Task Messages_over_the_receive_limit_are_refused_and_an_oversized_transaction_is_answered_like_json_rpc()
    {
        var huge = await Assert.ThrowsAsync<RpcException>(() => Transactions.SendRawTransactionAsync(new SendRawTransactionRequest { Raw = ByteString.CopyFrom(new byte[2 * 1024 * 1024]) }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, huge.StatusCode);

        // Over the genesis max_transaction_bytes (16 KiB) but under the gRPC limit: the mempool's own answer.
        var oversized = Hex.Decode(Wallet.Sign(0, new ExCraft.Core.Transactions.IssueAssetPayload("BIG", 0, 1), 0)).Concat(new byte[20_000]).ToArray();
        var grpc = await Assert.ThrowsAsync<RpcException>(() => Transactions.SendRawTransactionAsync(new SendRawTransactionRequest { Raw = ByteString.CopyFrom(oversized) }, deadline: Deadline).ResponseAsync);
        var json = (await Rpc.CallRawAsync("ext_sendRawTransaction", Hex.Encode(oversized)))["error"]!;
        Assert.Equal(json["message"]!.GetValue<string>(), grpc.Status.Detail);
        Assert.Equal(json["code"]!.GetValue<int>().ToString(), grpc.Trailers.GetValue("excraft-jsonrpc-code"));
        Assert.Equal(StatusCode.InvalidArgument, grpc.StatusCode);
    }

    [Fact]
    public async Task Reflection_lists_the_services_and_describes_them()
    {
        var reflection = new ServerReflection.ServerReflectionClient(_channel);
        using var call = reflection.ServerReflectionInfo(deadline: Deadline);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("excraft.v1.ChainService", services);
        Assert.Contains("excraft.v1.TransactionService", services);
        Assert.Contains("excraft.v1.AccountsService", services);
        Assert.Contains("excraft.v1.StakingService", services);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", services);

        // A generic client builds calls from the descriptors: the file defining a service comes back.
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "excraft.v1.TransactionService" });
        Assert.True(await call.ResponseStream.MoveNext());
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(b => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(b)).ToList();
        var service = Assert.Single(files.SelectMany(f => f.Service), s => s.Name == "TransactionService");
        Assert.Equal("SendRawTransaction", Assert.Single(service.Method).Name);
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task Grpc_and_json_rpc_answer_only_on_their_own_ports()
    {
        using var onRpcPort = GrpcChannel.ForAddress(_node.Rpc.Url.TrimEnd('/'));
        var wrongPort = await Assert.ThrowsAsync<RpcException>(() => new ChainService.ChainServiceClient(onRpcPort).GetNodeInfoAsync(new GetNodeInfoRequest(), deadline: Deadline).ResponseAsync);
        Assert.NotEqual(StatusCode.OK, wrongPort.StatusCode);

        // JSON-RPC over HTTP/2 to the gRPC port: its path is not served there.
        using var h2 = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact, Timeout = CallTimeout };
        using var response = await h2.PostAsync($"http://127.0.0.1:{_node.GrpcPort}/", new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ext_chainId"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(await Rpc.IsHealthyAsync());
    }

    [Fact]
    public async Task An_open_block_stream_does_not_hold_up_shutdown()
    {
        using var streamStop = new CancellationTokenSource(CallTimeout);
        using var stream = Chain.StreamBlocks(new StreamBlocksRequest(), cancellationToken: streamStop.Token);
        Assert.True(await stream.ResponseStream.MoveNext(streamStop.Token));
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await _node.StopAsync();
        // The host's shutdown timeout is 15 s: a stream that kept the node waiting would take all of
        // it, so a stop under that bound was not held up (however slow the machine otherwise is).
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(14.5), $"stopping took {stopping.Elapsed}");
        var ended = await Assert.ThrowsAsync<RpcException>(async () => { while (await stream.ResponseStream.MoveNext(streamStop.Token)) { } });
        Assert.Equal(StatusCode.Unavailable, ended.StatusCode);
    }

    [Fact]
    public async Task A_grpc_port_in_use_stops_the_start_with_a_clear_error()
    {
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        using var node = new NodeProcess();
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => node.StartAsync("--grpc-port", port.ToString()));
        Assert.Contains($"127.0.0.1:{port}", failed.Message);
        Assert.Contains("address already in use", failed.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_stream_that_falls_behind_is_ended_with_where_to_resume_and_resumes_there()
    {
        // Fast blocks, and a client that does not read: the node's queue for the stream overflows
        // once the HTTP/2 windows are full, and the commit path goes on regardless.
        using var node = new NodeProcess();
        await node.StartWithGrpcAsync("--block-interval-ms", "5");
        var port = node.GrpcPort;
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var chain = new ChainService.ChainServiceClient(channel);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var stream = chain.StreamBlocks(new StreamBlocksRequest(), cancellationToken: stop.Token);
        var start = (await chain.GetNodeInfoAsync(new GetNodeInfoRequest(), deadline: Deadline)).Height;
        while ((await chain.GetNodeInfoAsync(new GetNodeInfoRequest(), deadline: Deadline)).Height < start + 1_500)
        {
            Assert.False(stop.IsCancellationRequested, "the node did not make 1,500 blocks in time");
            await Task.Delay(200);
        }

        var received = new List<ulong>();
        var behind = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await stream.ResponseStream.MoveNext(stop.Token)) received.Add(stream.ResponseStream.Current.Block.Header.Height);
        });
        Assert.Equal(StatusCode.ResourceExhausted, behind.StatusCode);
        Assert.NotEmpty(received);
        Assert.Equal(Enumerable.Range(0, received.Count).Select(i => received[0] + (ulong)i), received);
        var resume = ulong.Parse(behind.Status.Detail.Split("from_height ")[1]);
        Assert.Equal(received[^1] + 1, resume);

        using var resumed = chain.StreamBlocks(new StreamBlocksRequest { FromHeight = resume }, cancellationToken: stop.Token);
        Assert.True(await resumed.ResponseStream.MoveNext(stop.Token));
        Assert.Equal(resume, resumed.ResponseStream.Current.Block.Header.Height);
    }

    [Fact]
    public async Task The_grpc_port_can_come_from_the_config_file()
    {
        var config = Path.Combine(Path.GetTempPath(), $"excraft-grpc-{Guid.NewGuid():N}.json");
        try
        {
            using var node = new NodeProcess();
            int port;
            for (var attempt = 1; ; attempt++)
            {
                port = NodeProcess.FreePort();
                File.WriteAllText(config, "{\"Node\": {\"GrpcPort\": " + port + "}}");
                try
                {
                    await node.StartAsync("--config", config);
                    break;
                }
                catch (InvalidOperationException e) when (attempt < 3 && NodeProcess.LostPortRace(e.Message, port))
                {
                    // taken between the probe and the node's bind: another port
                }
            }
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            var info = await new ChainService.ChainServiceClient(channel).GetNodeInfoAsync(new GetNodeInfoRequest(), deadline: Deadline);
            Assert.Equal(Wallet.DevChainId, info.ChainId);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void The_port_is_chosen_off_or_derived_from_the_rpc_port()
    {
        var said = new StringWriter();
        Assert.Null(Node.GrpcHosting.ResolvePort(new Node.NodeOptions { GrpcPort = 0 }, said));
        Assert.Equal(7000, Node.GrpcHosting.ResolvePort(new Node.NodeOptions { GrpcPort = 7000 }, said));
        Assert.Equal("", said.ToString());
        Assert.Contains("must be 1..65535", Assert.Throws<Node.NodeStartupException>(() => Node.GrpcHosting.ResolvePort(new Node.NodeOptions { GrpcPort = 70_000 }, said)).Message);
        Assert.Contains("already the RPC or P2P port", Assert.Throws<Node.NodeStartupException>(() => Node.GrpcHosting.ResolvePort(new Node.NodeOptions { GrpcPort = 9545, RpcPort = 9545 }, said)).Message);

        // Unset: the RPC port - 455, when that port is free.
        var free = NodeProcess.FreePort();
        Assert.Equal(free, Node.GrpcHosting.ResolvePort(new Node.NodeOptions { RpcPort = free + 455 }, said));
        Assert.Equal("", said.ToString());
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        Assert.Null(Node.GrpcHosting.ResolvePort(new Node.NodeOptions { RpcPort = takenPort + 455 }, said));
        Assert.Contains($"gRPC is off: its default port {takenPort}", said.ToString());
        Assert.Null(Node.GrpcHosting.ResolvePort(new Node.NodeOptions { RpcPort = 1200 }, said));
    }

    private async Task AssertRejectedLikeJsonRpcAsync(byte[] raw, StatusCode code, string reason, int jsonRpcCode)
    {
        var grpc = await Assert.ThrowsAsync<RpcException>(() => Transactions.SendRawTransactionAsync(new SendRawTransactionRequest { Raw = ByteString.CopyFrom(raw) }, deadline: Deadline).ResponseAsync);
        var json = (await Rpc.CallRawAsync("ext_sendRawTransaction", Hex.Encode(raw)))["error"]!;
        Assert.Equal(code, grpc.StatusCode);
        Assert.Equal(reason, grpc.Trailers.GetValue("excraft-reason"));
        Assert.Equal(jsonRpcCode.ToString(), grpc.Trailers.GetValue("excraft-jsonrpc-code"));
        Assert.Equal(jsonRpcCode, json["code"]!.GetValue<int>());
        Assert.Equal(json["message"]!.GetValue<string>(), grpc.Status.Detail);
    }

    private async Task<Receipt> WaitForReceiptAsync(ByteString hash)
    {
        var deadline = DateTime.UtcNow + CallTimeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                return await Chain.GetReceiptAsync(new GetReceiptRequest { Hash = hash }, deadline: Deadline);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"no receipt for {Hex.Encode(hash.ToByteArray())}");
    }

    private async Task WaitForHeightAsync(ulong height)
    {
        var deadline = DateTime.UtcNow + CallTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await Chain.GetNodeInfoAsync(new GetNodeInfoRequest(), deadline: Deadline)).Height >= height) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"height {height} not reached");
    }

    private static string Attribute(Event e, string key) => Assert.Single(e.Attributes, a => a.Key == key).Value;
}
