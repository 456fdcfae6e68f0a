using System.Globalization;
using ExCraft.Chain.Modules;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests;

/// <summary>The handlers' stateless checks (formats and ranges), which refuse a transaction before it reaches the mempool.</summary>
public class StatelessCheckTests
{
    private static readonly ModuleRegistry Modules = ModuleRegistry.Standard(TestChain.MakeGenesis());

    [Theory]
    [InlineData("EXT", "1", null)]
    [InlineData("E", "1", "2 to 12 characters")]
    [InlineData("ABCDEFGHIJKLM", "1", "2 to 12 characters")]
    [InlineData("ext", "1", "upper-case letters and digits")]
    [InlineData("1EXT", "1", "starting with a letter")]
    [InlineData("EX-T", "1", "upper-case letters and digits")]
    [InlineData("AB12CD34EF56", "1", null)]
    [InlineData("EXT", "0", "greater than zero")]
    public void TransferStatelessChecks(string asset, string amount, string? error)
    {
        var result = Modules.HandlerFor(TxKind.Transfer)!.CheckStateless(new TransferPayload(DevKeys.Account(1).Address, asset, UInt128.Parse(amount, CultureInfo.InvariantCulture)));
        if (error is null) Assert.Null(result);
        else Assert.Contains(error, result);
    }

    [Theory]
    [InlineData("GOLD", 18, "1", null)]
    [InlineData("GOLD", 19, "1", "decimals must be at most 18")]
    [InlineData("GOLD", 6, "0", "supply must be greater than zero")]
    [InlineData("gold", 6, "1", "upper-case")]
    public void IssueAssetStatelessChecks(string symbol, byte decimals, string supply, string? error)
    {
        var result = Modules.HandlerFor(TxKind.IssueAsset)!.CheckStateless(new IssueAssetPayload(symbol, decimals, UInt128.Parse(supply, CultureInfo.InvariantCulture)));
        if (error is null) Assert.Null(result);
        else Assert.Contains(error, result);
    }

    [Theory]
    [InlineData(0, 64, 1, "moniker must be 1 to 64")]
    [InlineData(65, 64, 1, "moniker must be 1 to 64")]
    [InlineData(5, 1_000_001, 1, "maximum commission cannot exceed 100%")]
    [InlineData(5, 100_000, 0, "self-bond must be greater than zero")]
    [InlineData(5, 100_000, 1, null)]
    public void CreateValidatorStatelessChecks(int monikerLength, uint maxCommission, int selfBond, string? error)
    {
        var payload = new CreateValidatorPayload(DevKeys.Validator.PublicKey.Compressed, new string('m', monikerLength), 50_000, maxCommission, 10_000, (UInt128)selfBond);
        var result = Modules.HandlerFor(TxKind.CreateValidator)!.CheckStateless(payload);
        if (error is null) Assert.Null(result);
        else Assert.Contains(error, result);
    }

    [Fact]
    public void Redelegation_needs_two_validators_and_an_amount()
    {
        var handler = Modules.HandlerFor(TxKind.Redelegate)!;
        var a = DevKeys.Account(0).Address;
        Assert.Contains("two different validators", handler.CheckStateless(new RedelegatePayload(a, a, 1)));
        Assert.Contains("greater than zero", handler.CheckStateless(new RedelegatePayload(a, DevKeys.Account(1).Address, 0)));
        Assert.Null(handler.CheckStateless(new RedelegatePayload(a, DevKeys.Account(1).Address, 1)));
    }
}
