using System.Net.Sockets;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Transactions;

namespace ExCraft.Integration.Tests;

/// <summary>Several validator processes on loopback reaching BFT consensus, through faults.</summary>
public sealed class TestnetTests : IDisposable
{
    private const ulong TestnetChainId = 9547;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);
    private readonly LocalTestnet _net = new();

    public void Dispose() => _net.Dispose();

    private async Task<(ulong Height, string Hash, string AppHash)> AgreedBlockAsync(IEnumerable<int> nodes, ulong height)
    {
        var blocks = new List<(ulong, string, string)>();
        foreach (var node in nodes)
        {
            await _net.WaitForHeightAsync(node, height, Wait);
            var block = await _net.BlockAsync(node, height);
            blocks.Add((height, block["hash"]!.GetValue<string>(), block["appHash"]!.GetValue<string>()));
        }
        Assert.All(blocks, b => Assert.Equal(blocks[0], b));
        return blocks[0];
    }

    [Fact]
    public async Task Four_validators_agree_survive_a_crash_halt_without_quorum_and_resume()
    {
        await _net.UpAsync(4, "--block-interval-ms", "200");
        await AgreedBlockAsync([0, 1, 2, 3], 3);

        // A transfer sent to one node is committed in the same block everywhere.
        using var rpc1 = _net.Rpc(1);
        var bob = Wallet.Dev(1).Address;
        var hash = (await rpc1.CallAsync("ext_sendRawTransaction", Wallet.Transfer(0, bob, Amount.FromWhole(7), 0, chainId: TestnetChainId)))!.GetValue<string>();
        var receipt = await rpc1.WaitForReceiptAsync(hash);
        var included = receipt["blockHeight"]!.GetValue<ulong>();
        await AgreedBlockAsync([0, 1, 2, 3], included + 1);
        using var rpc3 = _net.Rpc(3);
        Assert.Equal((Amount.FromWhole(1_000_007)).ToString(), await rpc3.BalanceAsync(bob.ToString()));

        // One of four down: the other three (75% of the power) go on.
        await _net.RunAsync("testnet", "stop-node", "3");
        var before = await _net.HeightAsync(0);
        await _net.WaitForHeightAsync(0, before + 5, Wait);

        // Two of four down: 50% is not more than 2/3, nothing can be committed.
        await _net.RunAsync("testnet", "stop-node", "2");
        await Task.Delay(1_500);
        var halted = await _net.HeightAsync(0);
        await Task.Delay(3_000);
        Assert.InRange(await _net.HeightAsync(0), halted, halted + 1);
        Assert.InRange(await _net.HeightAsync(1), halted, halted + 1);

        // Both back: they catch up and the chain resumes with identical blocks.
        await _net.RunAsync("testnet", "start-node", "2");
        await _net.RunAsync("testnet", "start-node", "3");
        await AgreedBlockAsync([0, 1, 2, 3], halted + 5);

        // kill -9 a validator in the middle of rounds, several times: no double sign, nobody slashed.
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(150 + 170 * i);
            await _net.RunAsync("testnet", "stop-node", "1", "--kill");
            await _net.RunAsync("testnet", "start-node", "1");
        }
        var after = await _net.HeightAsync(0);
        await AgreedBlockAsync([0, 1, 2, 3], after + 5);
        using var rpc0 = _net.Rpc(0);
        var validators = (await rpc0.CallAsync("ext_getValidators"))!["validators"]!.AsArray();
        Assert.Equal(4, validators.Count);
        Assert.All(validators, v => Assert.False(v!["jailed"]!.GetValue<bool>(), $"{v["operator"]} was jailed:\n{_net.Logs()}"));
        Assert.Equal(4, (await rpc0.CallAsync("ext_getValidators"))!["active"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_new_full_node_syncs_from_genesis_and_a_delegation_changes_the_set_at_the_next_epoch()
    {
        await _net.UpAsync(4, "--block-interval-ms", "200", "--epoch-ms", "3000", "--max-validators", "4");
        using var rpc0 = _net.Rpc(0);

        // A candidate with less stake than the four validators (1,000 EXT each) stays out of the set of 4.
        var consensusKey = PrivateKey.Generate();
        var create = Wallet.Sign(5, new CreateValidatorPayload(consensusKey.PublicKey.Compressed, "candidate", 50_000, 200_000, 10_000, Amount.FromWhole(600)), 0, TestnetChainId);
        Assert.Equal("success", (await rpc0.WaitForReceiptAsync((await rpc0.CallAsync("ext_sendRawTransaction", create))!.GetValue<string>()))["status"]!.GetValue<string>());
        var candidate = Wallet.Dev(5).Address.ToString();
        var epoch = (await rpc0.CallAsync("ext_getValidators"))!["epoch"]!.GetValue<ulong>();
        await WaitForEpochAsync(rpc0, epoch + 1);
        Assert.DoesNotContain(candidate, await ActiveAsync(rpc0));

        // A delegation lifts it above one validator; the next epoch's set includes it.
        var delegate_ = Wallet.Sign(6, new DelegatePayload(Wallet.Dev(5).Address, Amount.FromWhole(500)), 0, TestnetChainId);
        Assert.Equal("success", (await rpc0.WaitForReceiptAsync((await rpc0.CallAsync("ext_sendRawTransaction", delegate_))!.GetValue<string>()))["status"]!.GetValue<string>());
        epoch = (await rpc0.CallAsync("ext_getValidators"))!["epoch"]!.GetValue<ulong>();
        await WaitForEpochAsync(rpc0, epoch + 1);
        var active = await ActiveAsync(rpc0);
        Assert.Contains(candidate, active);
        Assert.Equal(4, active.Count);
        // The candidate runs no node, yet the three remaining validators hold 3,000 of 4,100 power (> 2/3): blocks go on.
        var now = await _net.HeightAsync(0);
        await _net.WaitForHeightAsync(0, now + 3, Wait);

        // A full node joining now syncs every block from genesis and ends on the same chain;
        // `excraft node sync` waits, with progress, until it has caught up.
        await _net.RunAsync("testnet", "add-node");
        var syncOut = new StringWriter();
        Assert.Equal(0, await ExCraft.Cli.Cli.RunAsync(["node", "sync", "--rpc", $"http://127.0.0.1:{_net.RpcBase + 4}/", "--timeout", "60", "--json"], syncOut, syncOut));
        var synced = System.Text.Json.Nodes.JsonNode.Parse(syncOut.ToString())!;
        Assert.True(synced["synced"]!.GetValue<bool>());
        Assert.True(synced["height"]!.GetValue<ulong>() >= 3);
        var tip = await _net.HeightAsync(0);
        var agreed = await AgreedBlockAsync([0, 4], tip);
        using var full = _net.Rpc(4);
        Assert.Null((await full.CallAsync("ext_nodeInfo"))!["validator"]);
        Assert.Equal(agreed.AppHash, (await _net.BlockAsync(4, tip))["appHash"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_peers_are_dropped_while_the_chain_goes_on()
    {
        await _net.UpAsync(2, "--block-interval-ms", "200");
        await _net.WaitForHeightAsync(0, 2, Wait);
        var p2p = _net.P2pBase;

        // Garbage bytes, then an oversized frame length: each connection is closed by the node.
        foreach (var payload in new[] { "GET / HTTP/1.1\r\n\r\n"u8.ToArray(), new byte[] { 0x7f, 0xff, 0xff, 0xff, 1, 2, 3 } })
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", p2p);
            var stream = client.GetStream();
            await stream.WriteAsync(payload);
            var buffer = new byte[4096];
            // Refused at once, or at the latest at the 5 s handshake timeout: 30 s leaves room for a loaded machine.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            int read;
            do { read = await stream.ReadAsync(buffer, timeout.Token); } while (read > 0);
            Assert.Equal(0, read);
        }

        // A node of another chain (another genesis) is refused in the handshake.
        var identity = new ExCraft.Network.NetworkIdentity(TestnetChainId + 1, new byte[32], ExCraft.Node.Consensus.ConsensusWiring.ProtocolVersion);
        await using (var stranger = new ExCraft.Network.NetworkService(ExCraft.Network.NodeKey.Generate(), identity, new ExCraft.Network.NetworkOptions { ListenEndPoint = null }))
        {
            await stranger.StartAsync();
            var e = await Assert.ThrowsAnyAsync<Exception>(() => stranger.ConnectAsync(new ExCraft.Network.PeerAddress(null, "127.0.0.1", p2p)));
            Assert.Contains("chain", e.Message, StringComparison.OrdinalIgnoreCase);
        }

        // The chain and the validators' connection carry on.
        var height = await _net.HeightAsync(0);
        await _net.WaitForHeightAsync(0, height + 3, Wait);
        using var rpc0 = _net.Rpc(0);
        Assert.Equal(1, (await rpc0.CallAsync("ext_nodeInfo"))!["peers"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_validator_whose_double_sign_guard_is_missing_refuses_to_start()
    {
        await _net.UpAsync(2, "--block-interval-ms", "200");
        await AgreedBlockAsync([0, 1], 3);
        await _net.RunAsync("testnet", "stop-node", "1");
        // As if the key had been copied to a fresh machine: the chain holds its signatures, the guard file is gone.
        File.Delete(Path.Combine(_net.Directory, "node1", "data", "double_sign_guard.json"));
        await _net.RunAsync("testnet", "start-node", "1");
        var log = Path.Combine(_net.Directory, "node1", "node.log");
        var deadline = DateTime.UtcNow + Wait;
        while (!File.ReadAllText(log).Contains("refusing to sign") && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Contains("refusing to sign", File.ReadAllText(log));
        using var rpc1 = _net.Rpc(1);
        await Assert.ThrowsAsync<HttpRequestException>(() => rpc1.CallAsync("ext_blockNumber"));
    }

    [Fact]
    public async Task An_equivocating_validator_is_caught_by_a_running_node_and_slashed()
    {
        await _net.UpAsync(4, "--block-interval-ms", "200");
        await AgreedBlockAsync([0, 1, 2, 3], 3);
        using var rpc0 = _net.Rpc(0);
        var info = (await rpc0.CallAsync("ext_nodeInfo"))!;
        var offender = ExCraft.Node.ValidatorKeyFile.Load(Path.Combine(_net.Directory, "node2", "validator_key.json"));

        // Node 2's key signs two different prevotes for the same height and round; a peer of our own delivers both to node 0.
        var identity = new ExCraft.Network.NetworkIdentity(TestnetChainId, Core.Encoding.Hex.Decode(info["genesisHash"]!.GetValue<string>()), ExCraft.Node.Consensus.ConsensusWiring.ProtocolVersion);
        await using var peer = new ExCraft.Network.NetworkService(ExCraft.Network.NodeKey.Generate(), identity, new ExCraft.Network.NetworkOptions { ListenEndPoint = null });
        await peer.StartAsync();
        var node0 = await peer.ConnectAsync(new ExCraft.Network.PeerAddress(null, "127.0.0.1", _net.P2pBase));
        var height = (await rpc0.CallAsync("ext_nodeInfo"))!["consensusHeight"]!.GetValue<ulong>();
        for (var h = height; h < height + 3; h++)
        {
            foreach (var fill in new byte[] { 0xaa, 0xbb })
            {
                var vote = Core.Consensus.Vote.Create(TestnetChainId, Core.Consensus.VoteType.Prevote, h, 2, Enumerable.Repeat(fill, 32).ToArray(), offender);
                Assert.True(peer.Send(node0.NodeId, ExCraft.Network.MessageTypes.Vote, vote.Encode()));
            }
        }

        // Node 0 turns it into evidence, submits it, and the chain slashes and jails node 2 for good.
        var deadline = DateTime.UtcNow + Wait;
        System.Text.Json.Nodes.JsonNode? validator;
        do
        {
            await Task.Delay(300);
            validator = await rpc0.CallAsync("ext_getValidator", offender.Address.ToString());
        } while (validator!["tombstoned"]!.GetValue<bool>() == false && DateTime.UtcNow < deadline);
        Assert.True(validator["tombstoned"]!.GetValue<bool>(), $"not slashed:\n{_net.Logs()}");
        Assert.True(validator["jailed"]!.GetValue<bool>());
        Assert.Equal((Amount.FromWhole(1000) - Amount.FromWhole(50)).ToString(), validator["tokens"]!.GetValue<string>());
        Assert.DoesNotContain(offender.Address.ToString(), await ActiveAsync(rpc0));

        // The three honest validators go on.
        var now = await _net.HeightAsync(0);
        await AgreedBlockAsync([0, 1, 3], now + 3);
    }

    private static async Task<List<string>> ActiveAsync(RpcClient rpc) =>
        (await rpc.CallAsync("ext_getValidators"))!["active"]!.AsArray().Select(v => v!["operator"]!.GetValue<string>()).ToList();

    private async Task WaitForEpochAsync(RpcClient rpc, ulong epoch)
    {
        var deadline = DateTime.UtcNow + Wait;
        while ((await rpc.CallAsync("ext_getValidators"))!["epoch"]!.GetValue<ulong>() < epoch)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"epoch {epoch} did not come\n{_net.Logs()}");
            await Task.Delay(200);
        }
        // The new set takes effect from the block after the boundary.
        await _net.WaitForHeightAsync(0, await _net.HeightAsync(0) + 1, Wait);
    }
}
