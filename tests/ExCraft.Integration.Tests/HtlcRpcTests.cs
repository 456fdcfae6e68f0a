using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Integration.Tests;

/// <summary>Native HTLCs on a real dev node over JSON-RPC: lock, read back, claim (the event reveals the preimage), and lock, time out, refund.</summary>
public sealed class HtlcRpcTests : NodeTest
{
    private static readonly Address Alice = Wallet.Dev(0).Address;
    private static readonly Address Bob = Wallet.Dev(1).Address;
    private static readonly Address Carol = Wallet.Dev(2).Address;
    private static readonly byte[] Secret = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] HashlessSecret = [1, 2, 3];
    private static readonly UInt128 DevStart = Amount.FromWhole(1_000_000);

    private async Task<ulong> HeightAsync() => (await Rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>();

    private async Task<JsonNode> SendAndWaitAsync(string raw)
    {
        var hash = (await Rpc.CallAsync("ext_sendRawTransaction", raw))!.GetValue<string>();
        return await Rpc.WaitForReceiptAsync(hash);
    }

    private static string Attribute(JsonNode receipt, string name) => receipt["events"]![0]!["attributes"]![name]!.GetValue<string>();

    [Fact]
    public async Task Lock_read_back_and_claim_reveals_the_preimage()
    {
        var amount = Amount.Parse("12.5");
        var timeout = await HeightAsync() + 1_000;
        var locked = await SendAndWaitAsync(Wallet.Sign(0, new HtlcLockPayload(Bob, "EXT", amount, SHA256.HashData(Secret), timeout, Alice), 0));
        Assert.Equal("success", locked["status"]!.GetValue<string>());
        var id = Hex.Encode(HtlcRules.IdOf(Alice, 0));
        Assert.Equal("htlc_locked", locked["events"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(id, Attribute(locked, "id"));

        var htlc = (await Rpc.CallAsync("htlc_get", id))!;
        Assert.Equal(Alice.ToString(), htlc["sender"]!.GetValue<string>());
        Assert.Equal(Bob.ToString(), htlc["recipient"]!.GetValue<string>());
        Assert.Equal(amount.ToString(), htlc["amount"]!.GetValue<string>());
        Assert.Equal(Hex.Encode(SHA256.HashData(Secret)), htlc["hashLock"]!.GetValue<string>());
        Assert.Equal(timeout, htlc["timeoutHeight"]!.GetValue<ulong>());
        Assert.Equal("locked", htlc["status"]!.GetValue<string>());
        Assert.False(htlc["timedOut"]!.GetValue<bool>());
        Assert.Null(htlc["preimage"]);
        Assert.Equal((DevStart - amount - Wallet.Fee).ToString(), await Rpc.BalanceAsync(Alice.ToString()));
        var escrow = (await Rpc.CallAsync("htlc_getLocked"))!.AsArray();
        Assert.Equal(amount.ToString(), Assert.Single(escrow)!["amount"]!.GetValue<string>());
        foreach (var account in new[] { Alice, Bob })
        {
            var list = (await Rpc.CallAsync("htlc_listByAccount", account.ToString(), 10))!;
            Assert.Equal(id, Assert.Single(list["htlcs"]!.AsArray())!["id"]!.GetValue<string>());
            Assert.Null(list["next"]);
        }
        Assert.Empty((await Rpc.CallAsync("htlc_listByAccount", Carol.ToString()))!["htlcs"]!.AsArray());

        // Bob claims with the secret; the receipt's event carries it for the other chain's side.
        var claimed = await SendAndWaitAsync(Wallet.Sign(1, new HtlcClaimPayload(HtlcRules.IdOf(Alice, 0), Secret), 0));
        Assert.Equal("success", claimed["status"]!.GetValue<string>());
        Assert.Equal("htlc_claimed", claimed["events"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(Hex.Encode(Secret), Attribute(claimed, "preimage"));
        Assert.Equal((DevStart + amount - Wallet.Fee).ToString(), await Rpc.BalanceAsync(Bob.ToString()));
        Assert.Equal((DevStart - amount - Wallet.Fee).ToString(), await Rpc.BalanceAsync(Alice.ToString()));

        htlc = (await Rpc.CallAsync("htlc_get", id))!;
        Assert.Equal("claimed", htlc["status"]!.GetValue<string>());
        Assert.Equal(Hex.Encode(Secret), htlc["preimage"]!.GetValue<string>());
        Assert.Equal(claimed["blockHeight"]!.GetValue<ulong>(), htlc["settledHeight"]!.GetValue<ulong>());
        Assert.Empty((await Rpc.CallAsync("htlc_getLocked"))!.AsArray());

        // A second lock: the list pages one at a time, oldest first.
        var second = await SendAndWaitAsync(Wallet.Sign(0, new HtlcLockPayload(Carol, "EXT", 5, SHA256.HashData(Secret), timeout, Alice), 1));
        Assert.Equal("success", second["status"]!.GetValue<string>());
        var page1 = (await Rpc.CallAsync("htlc_listByAccount", Alice.ToString(), 1))!;
        Assert.Equal(id, page1["htlcs"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(id, page1["next"]!.GetValue<string>());
        var page2 = (await Rpc.CallAsync("htlc_listByAccount", Alice.ToString(), 1, id))!;
        Assert.Equal(Hex.Encode(HtlcRules.IdOf(Alice, 1)), Assert.Single(page2["htlcs"]!.AsArray())!["id"]!.GetValue<string>());

        // Both HTLCs share the hash lock: one call returns them, oldest lock first; another hash has none, a short one is refused.
        var byHash = (await Rpc.CallAsync("htlc_getByHashLock", Hex.Encode(SHA256.HashData(Secret))))!.AsArray();
        Assert.Equal([id, Hex.Encode(HtlcRules.IdOf(Alice, 1))], byHash.Select(h => h!["id"]!.GetValue<string>()));
        Assert.Equal(("claimed", "locked"), (byHash[0]!["status"]!.GetValue<string>(), byHash[1]!["status"]!.GetValue<string>()));
        Assert.Empty((await Rpc.CallAsync("htlc_getByHashLock", Hex.Encode(SHA256.HashData(HashlessSecret))))!.AsArray());
        Assert.Equal(-32602, (await Rpc.CallRawAsync("htlc_getByHashLock", "0x1234"))["error"]!["code"]!.GetValue<int>());
        Assert.Null(page2["next"]);
        Assert.Equal(-32602, (await Rpc.CallRawAsync("htlc_listByAccount", Alice.ToString(), 101))["error"]!["code"]!.GetValue<int>());

        // A 31-byte preimage never reaches a block; a 31-byte id is a bad parameter.
        var shortClaim = await Rpc.CallRawAsync("ext_sendRawTransaction", Wallet.Sign(1, new HtlcClaimPayload(HtlcRules.IdOf(Alice, 0), Secret[..31]), 1));
        Assert.Equal(-32010, shortClaim["error"]!["code"]!.GetValue<int>());
        Assert.Contains("preimage must be 32 bytes", shortClaim["error"]!["message"]!.GetValue<string>());
        var badId = await Rpc.CallRawAsync("htlc_get", id[..^2]);
        Assert.Equal(-32602, badId["error"]!["code"]!.GetValue<int>());
        Assert.Null(await Rpc.CallAsync("htlc_get", Hex.Encode(HtlcRules.IdOf(Carol, 0))));
    }

    [Fact]
    public async Task Lock_times_out_and_is_refunded_to_the_refund_address()
    {
        var amount = Amount.FromWhole(3);
        // The test node makes a block every 100 ms: the timeout is about 15 s away, far enough for the
        // lock and the early refund below to land before it even when a loaded machine stalls this test for seconds.
        var timeout = await HeightAsync() + 150;
        var locked = await SendAndWaitAsync(Wallet.Sign(0, new HtlcLockPayload(Bob, "EXT", amount, SHA256.HashData(Secret), timeout, Carol), 0));
        Assert.Equal("success", locked["status"]!.GetValue<string>());
        var id = Hex.Encode(HtlcRules.IdOf(Alice, 0));

        // Carol (the refund address) tries too early: it fails in its block, fee paid, nothing else moves.
        var early = await SendAndWaitAsync(Wallet.Sign(2, new HtlcRefundPayload(HtlcRules.IdOf(Alice, 0)), 0));
        Assert.True(early["blockHeight"]!.GetValue<ulong>() < timeout);
        Assert.Equal("failed", early["status"]!.GetValue<string>());
        Assert.Contains("before its timeout height", early["error"]!.GetValue<string>());
        Assert.Equal("locked", (await Rpc.CallAsync("htlc_get", id))!["status"]!.GetValue<string>());

        await Until.TrueAsync(async () => (await Rpc.CallAsync("htlc_get", id))!["timedOut"]!.GetValue<bool>(), TimeSpan.FromSeconds(60),
            "the HTLC reaches its timeout height");
        var refunded = await SendAndWaitAsync(Wallet.Sign(2, new HtlcRefundPayload(HtlcRules.IdOf(Alice, 0)), 1));
        Assert.Equal("success", refunded["status"]!.GetValue<string>());
        Assert.True(refunded["blockHeight"]!.GetValue<ulong>() >= timeout);
        Assert.Equal("htlc_refunded", refunded["events"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(Carol.ToString(), Attribute(refunded, "refundAddress"));
        Assert.Equal(amount.ToString(), Attribute(refunded, "amount"));

        var htlc = (await Rpc.CallAsync("htlc_get", id))!;
        Assert.Equal("refunded", htlc["status"]!.GetValue<string>());
        Assert.Null(htlc["preimage"]);
        Assert.Equal((DevStart - amount - Wallet.Fee).ToString(), await Rpc.BalanceAsync(Alice.ToString()));
        Assert.Equal(DevStart.ToString(), await Rpc.BalanceAsync(Bob.ToString()));
        Assert.Equal((DevStart + amount - 2 * Wallet.Fee).ToString(), await Rpc.BalanceAsync(Carol.ToString()));

        // After the refund, the recipient's claim with the right secret fails and moves nothing.
        var late = await SendAndWaitAsync(Wallet.Sign(1, new HtlcClaimPayload(HtlcRules.IdOf(Alice, 0), Secret), 0));
        Assert.Equal("failed", late["status"]!.GetValue<string>());
        Assert.Equal((DevStart - Wallet.Fee).ToString(), await Rpc.BalanceAsync(Bob.ToString()));
    }
}
