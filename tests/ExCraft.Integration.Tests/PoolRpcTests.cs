using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Integration.Tests;

/// <summary>KYC and pools on a real dev node over JSON-RPC: the dev KYC authority attests, a pool is created and joined, and the pool_* and kyc_* methods answer.</summary>
public sealed class PoolRpcTests : NodeTest
{
    private static readonly Address Alice = Wallet.Dev(0).Address; // the dev chain's KYC authority
    private static readonly Address Bob = Wallet.Dev(1).Address;
    private static readonly UInt128 DevStart = Amount.FromWhole(1_000_000);
    private static readonly UInt128 Stake = Amount.FromWhole(30_000);

    private async Task<JsonNode> SendAndWaitAsync(string raw)
    {
        var hash = (await Rpc.CallAsync("ext_sendRawTransaction", raw))!.GetValue<string>();
        var receipt = await Rpc.WaitForReceiptAsync(hash);
        return receipt;
    }

    private static void Succeeded(JsonNode receipt) => Assert.True(receipt["status"]!.GetValue<string>() == "success", receipt.ToJsonString());

    [Fact]
    public async Task Create_join_and_read_back_over_rpc()
    {
        Assert.Equal(Alice.ToString(), Assert.Single((await Rpc.CallAsync("kyc_authorities"))!.AsArray())!.GetValue<string>());
        Succeeded(await SendAndWaitAsync(Wallet.Sign(1, new RegisterPayload(), 0)));
        Succeeded(await SendAndWaitAsync(Wallet.Sign(0, new KycAttestPayload(Bob, 1_000_000), 0)));
        var kyc = (await Rpc.CallAsync("kyc_status", Bob.ToString()))!;
        Assert.True(kyc["registered"]!.GetValue<bool>());
        Assert.True(kyc["attested"]!.GetValue<bool>());
        Assert.Equal(1_000_000UL, kyc["expiryHeight"]!.GetValue<ulong>());
        Assert.Equal(Alice.ToString(), kyc["authority"]!.GetValue<string>());
        Assert.True(kyc["verified"]!.GetValue<bool>());
        var refused = await SendAndWaitAsync(Wallet.Sign(1, new KycAttestPayload(Bob, 1_000_000), 1));
        Assert.Equal("failed", refused["status"]!.GetValue<string>());

        var created = await SendAndWaitAsync(Wallet.Sign(0, new CreatePoolPayload("miners", 100_000), 1));
        Succeeded(created);
        Assert.Equal("pool_created", created["events"]![0]!["type"]!.GetValue<string>());
        Assert.Equal((DevStart - Stake - 2 * Wallet.Fee).ToString(), await Rpc.BalanceAsync(Alice.ToString()));
        var joined = await SendAndWaitAsync(Wallet.Sign(1, new JoinPoolPayload(1), 2));
        Succeeded(joined);
        var fromEpoch = ulong.Parse(joined["events"]![0]!["attributes"]!["fromEpoch"]!.GetValue<string>());

        var pool = (await Rpc.CallAsync("pool_get", 1))!;
        Assert.Equal("miners", pool["name"]!.GetValue<string>());
        Assert.Equal(Alice.ToString(), pool["master"]!.GetValue<string>());
        Assert.Equal(100_000u, pool["retainedPpm"]!.GetValue<uint>());
        Assert.Equal(Stake.ToString(), pool["stake"]!.GetValue<string>());
        Assert.Equal(1UL, pool["members"]!.GetValue<ulong>());
        Assert.Equal("active", pool["status"]!.GetValue<string>());
        Assert.Equal(1UL, (await Rpc.CallAsync("pool_get", "miners"))!["id"]!.GetValue<ulong>());
        Assert.Null(await Rpc.CallAsync("pool_get", 2));

        var members = (await Rpc.CallAsync("pool_members", 1))!;
        var member = Assert.Single(members["members"]!.AsArray())!;
        Assert.Equal(Bob.ToString(), member["account"]!.GetValue<string>());
        Assert.Equal(1UL, member["poolNext"]!.GetValue<ulong>());
        var membership = (await Rpc.CallAsync("pool_membership", Bob.ToString()))!;
        Assert.Equal(1UL, membership["poolNext"]!.GetValue<ulong>());
        // The join counts from the epoch after it; the node may have moved on since, so read which side of it we are.
        if (membership["epoch"]!.GetValue<ulong>() < fromEpoch)
        {
            Assert.Null(membership["poolNow"]);
            Assert.Equal(fromEpoch, membership["nextFromEpoch"]!.GetValue<ulong>());
        }
        else Assert.Equal(1UL, membership["poolNow"]!.GetValue<ulong>());

        var listed = (await Rpc.CallAsync("pool_list"))!;
        var row = Assert.Single(listed["pools"]!.AsArray())!;
        Assert.Equal(1UL, row["id"]!.GetValue<ulong>());
        Assert.Equal(1UL, row["members"]!.GetValue<ulong>());
        Assert.False(row["eligible"]!.GetValue<bool>());
        var parameters = (await Rpc.CallAsync("pool_params"))!;
        Assert.Equal(Stake.ToString(), parameters["creationStake"]!.GetValue<string>());
        Assert.Equal(Stake.ToString(), parameters["locked"]!.GetValue<string>());
        var bad = await Assert.ThrowsAsync<InvalidOperationException>(() => Rpc.CallAsync("pool_rewards", 1, 5, 2));
        Assert.Contains("fromEpoch 5 is after toEpoch 2", bad.Message);
        bad = await Assert.ThrowsAsync<InvalidOperationException>(() => Rpc.CallAsync("pool_members", "nope"));
        Assert.Contains("no such pool", bad.Message);
    }
}
