using System.Security.Cryptography;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli.Tests;

/// <summary>excraft swap offer post | list | show | take | cancel against a real dev node (<see cref="NodeFixture"/>), with dev accounts 5 and 6.</summary>
public sealed class SwapOfferCommandTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static readonly string MakerKey = Hex.Encode(DevKeys.Account(5).PublicKey.Compressed);
    private static readonly string TakerKey = Hex.Encode(DevKeys.Account(6).PublicKey.Compressed);
    private static readonly string HashLock = Hex.Encode(SHA256.HashData(new byte[32]));

    private async Task<CliRun> Run(int exitCode, params string[] args)
    {
        var run = await TestCli.RunAsync([.. args, "--rpc", node.Rpc]);
        Assert.True(run.ExitCode == exitCode, $"expected exit {exitCode} from 'excraft {string.Join(' ', args)}', got {run}\nnode log:\n{node.Log}");
        return run;
    }

    [Fact]
    public async Task An_offer_is_posted_listed_shown_and_taken_and_a_taken_offer_cannot_be_cancelled()
    {
        var posted = (await Run(0, "swap", "offer", "post", "--gives", "native", "--native-amount", "2.5", "--chain", "bitcoin", "--outside-amount", "0.001",
            "--my-outside-key", MakerKey, "--hash-lock", HashLock, "--lock-blocks", "600", "--outside-timeout-height", "3600", "--expires-in", "5000",
            "--from", "dev:5", "--wait", "--json")).Json;
        Assert.Equal("success", posted["receipt"]!["status"]!.GetValue<string>());
        var id = posted["offerId"]!.GetValue<string>();
        var nonce = posted["nonce"]!.GetValue<ulong>();
        Assert.Equal(Hex.Encode(SwapOfferRules.IdOf(DevKeys.Account(5).Address, nonce)), id);

        var list = (await Run(0, "swap", "offer", "list", "--chain", "bitcoin", "--json")).Json;
        var listed = Assert.Single(list["offers"]!.AsArray(), o => o!["id"]!.GetValue<string>() == id)!;
        Assert.Equal((Amount.Parse("2.5").ToString(), "100000", "open"), (listed["nativeAmount"]!.GetValue<string>(), listed["outsideAmount"]!.GetValue<string>(), listed["status"]!.GetValue<string>()));
        var shown = await Run(0, "swap", "offer", "show", id);
        Assert.Contains("2.5 EXT", shown.Out);
        Assert.Contains("0.001 BTC on bitcoin", shown.Out);

        var taken = (await Run(0, "swap", "offer", "take", id, "--my-outside-key", TakerKey, "--from", "dev:6", "--wait", "--json")).Json;
        Assert.Equal("success", taken["receipt"]!["status"]!.GetValue<string>());
        Assert.Equal(id, taken["htlcId"]!.GetValue<string>());
        var terms = (await Run(0, "swap", "offer", "show", id, "--json")).Json["terms"]!;
        Assert.Equal((DevKeys.Account(5).Address.ToString(), DevKeys.Account(6).Address.ToString(), MakerKey, TakerKey),
            (terms["initiator"]!.GetValue<string>(), terms["participant"]!.GetValue<string>(), terms["outsideClaimKey"]!.GetValue<string>(), terms["outsideRefundKey"]!.GetValue<string>()));
        var humanTaken = await Run(0, "swap", "offer", "show", id);
        Assert.Contains("taken", humanTaken.Out);
        Assert.Contains("initiator", humanTaken.Out);

        var cancel = await Run(3, "swap", "offer", "cancel", id, "--from", "dev:5", "--wait");
        Assert.Contains("is already taken", cancel.Error);
        Assert.Single((await Run(0, "swap", "offer", "list", "--account", DevKeys.Account(6).Address.ToString(), "--json")).Json["offers"]!.AsArray());
    }

    [Fact]
    public async Task Bad_arguments_are_usage_errors_and_send_nothing()
    {
        // An ethereum address where the bitcoin swap needs a public key: refused before signing.
        var badKey = await Run(1, "swap", "offer", "post", "--gives", "native", "--native-amount", "1", "--chain", "bitcoin", "--outside-amount", "0.001",
            "--my-outside-key", "0x" + new string('1', 40), "--hash-lock", HashLock, "--lock-blocks", "600", "--outside-timeout-height", "3600", "--expires-in", "100", "--from", "dev:7");
        Assert.Contains("bitcoin key must be a 33-byte compressed public key", badKey.Error);
        var badChain = await Run(1, "swap", "offer", "post", "--gives", "native", "--native-amount", "1", "--chain", "dogecoin", "--outside-amount", "1",
            "--my-outside-key", MakerKey, "--lock-blocks", "6", "--outside-lock-seconds", "36", "--expires-in", "100", "--from", "dev:7");
        Assert.Contains("dogecoin", badChain.Error);
        Assert.Contains("an offer id is 32 bytes", (await Run(1, "swap", "offer", "show", "0x1234")).Error);
        Assert.Equal(0UL, (await Run(0, "nonce", DevKeys.Account(7).Address.ToString(), "--json")).Json["nonce"]!.GetValue<ulong>());
        await Run(5, "swap", "offer", "show", Hex.Encode(SwapOfferRules.IdOf(DevKeys.Account(7).Address, 0)));
    }
}
