using ExCraft.Chain.Modules;
using ExCraft.Core;
using ExCraft.Core.Consensus;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;
using ExCraft.Rpc.Methods;

namespace ExCraft.Cli.Tests;

/// <summary>
/// Every transaction kind, end to end through the module contract: a handler in the standard
/// registry, a JSON name, a byte-exact encode/decode round trip, a spend declaration, the
/// JSON-RPC payload view and the CLI's rows. A new TxKind value without all of them fails here
/// (first of all for want of a sample below).
/// </summary>
public class TxKindCoverageTests
{
    private static readonly ModuleRegistry Modules = ModuleRegistry.Standard(9545, StakingParameters.Mainnet);

    private static TxPayload Sample(TxKind kind)
    {
        var a = DevKeys.Account(1).Address;
        var b = DevKeys.Account(2).Address;
        return kind switch
        {
            TxKind.Transfer => new TransferPayload(a, AssetSymbol.Native, 1_500_000_000_000_000_000),
            TxKind.IssueAsset => new IssueAssetPayload("GOLD", 6, 21_000_000_000_000),
            TxKind.Register => new RegisterPayload(),
            TxKind.CreateValidator => new CreateValidatorPayload(DevKeys.Validator.PublicKey.Compressed, "v", 50_000, 200_000, 10_000, Amount.FromWhole(20)),
            TxKind.EditValidator => new EditValidatorPayload("renamed", 60_000),
            TxKind.Delegate => new DelegatePayload(a, Amount.FromWhole(3)),
            TxKind.Undelegate => new UndelegatePayload(a, Amount.FromWhole(2)),
            TxKind.Redelegate => new RedelegatePayload(a, b, Amount.FromWhole(1)),
            TxKind.Unjail => new UnjailPayload(),
            TxKind.SubmitEvidence => new SubmitEvidencePayload(new DoubleSignEvidence(
                Vote.Create(9545, VoteType.Precommit, 5, 0, new byte[32], DevKeys.Validator),
                Vote.Create(9545, VoteType.Precommit, 5, 0, Enumerable.Repeat((byte)1, 32).ToArray(), DevKeys.Validator))),
            TxKind.KycAttest => new KycAttestPayload(a, 5_000),
            TxKind.KycRevoke => new KycRevokePayload(b),
            TxKind.CreatePool => new CreatePoolPayload("miners-1", 100_000),
            TxKind.UpdatePool => new UpdatePoolPayload(3, 120_000),
            TxKind.JoinPool => new JoinPoolPayload(3),
            TxKind.LeavePool => new LeavePoolPayload(),
            TxKind.DeletePool => new DeletePoolPayload(3, 4),
            TxKind.HtlcLock => new HtlcLockPayload(a, AssetSymbol.Native, Amount.FromWhole(4), Enumerable.Repeat((byte)0xab, 32).ToArray(), 120, b),
            TxKind.HtlcClaim => new HtlcClaimPayload(HtlcRules.IdOf(a, 3), Enumerable.Repeat((byte)0x5e, 32).ToArray()),
            TxKind.HtlcRefund => new HtlcRefundPayload(HtlcRules.IdOf(a, 3)),
            TxKind.SwapOfferPost => new SwapOfferPostPayload(SwapOfferSide.MakerGivesNative, AssetSymbol.Native, Amount.FromWhole(5), SwapOfferRules.Bitcoin, SwapOfferRules.Btc, 1_000_000,
                DevKeys.Account(3).PublicKey.Compressed, Enumerable.Repeat((byte)0xab, 32).ToArray(), 120, 3_600, 500),
            TxKind.SwapOfferTake => new SwapOfferTakePayload(SwapOfferRules.IdOf(a, 4), b.ToBytes(), []),
            TxKind.SwapOfferCancel => new SwapOfferCancelPayload(SwapOfferRules.IdOf(a, 4)),
            TxKind.PlaceOrder => new PlaceOrderPayload("GOLD", AssetSymbol.Native, 1, 0, 3, Amount.FromWhole(2), 1_500_000, 0, 42, 900, 2),
            TxKind.CancelOrder => new CancelOrderPayload("GOLD", AssetSymbol.Native, 17, 0),
            TxKind.AmendOrder => new AmendOrderPayload("GOLD", AssetSymbol.Native, 17, Amount.FromWhole(3), 2_000_000),
            TxKind.SetCancelDeadline => new SetCancelDeadlinePayload(5_000),
            TxKind.CancelAll => new CancelAllPayload("GOLD", AssetSymbol.Native),
            TxKind.BatchOrders => new BatchOrdersPayload([new CancelOrderPayload("GOLD", AssetSymbol.Native, 17, 0),
                new PlaceOrderPayload("GOLD", AssetSymbol.Native, 1, 0, 0, Amount.FromWhole(2), 1_500_000, 0, 43, 0, 0, 1_800_000_000_000),
                new AmendOrderPayload("GOLD", AssetSymbol.Native, 18, Amount.FromWhole(3), 2_000_000)]),
            TxKind.AuthorizeAgent => new AuthorizeAgentPayload(b, 5_000),
            TxKind.RevokeAgent => new RevokeAgentPayload(b),
            TxKind.AgentAction => new AgentActionPayload(a, new CancelOrderPayload("GOLD", AssetSymbol.Native, 17, 0)),
            TxKind.ListMarket => new ListMarketPayload(new MarketDefinition("GOLD", AssetSymbol.Native, Amount.FromWhole(1) / 1000, 10_000, Amount.FromWhole(1), 1_000, 2_000, 0, false)),
            TxKind.UpdateMarket => new UpdateMarketPayload(new MarketDefinition("GOLD", AssetSymbol.Native, Amount.FromWhole(1) / 1000, 10_000, Amount.FromWhole(2), 500, 2_500, 0, true)),
            TxKind.HaltMarket => new HaltMarketPayload("GOLD", AssetSymbol.Native, true),
            TxKind.SetMarketParams => new SetMarketParamsPayload(900_000, 20_000),
            _ => throw new Xunit.Sdk.XunitException($"kind {kind} has no sample here: add one, with its handler, JSON name and CLI view"),
        };
    }

    public static TheoryData<TxKind> AllKinds() => [.. Enum.GetValues<TxKind>()];

    [Theory]
    [MemberData(nameof(AllKinds))]
    public async Task Every_kind_has_a_handler_a_name_a_round_trip_a_spend_and_views(TxKind kind)
    {
        var payload = Sample(kind);
        Assert.Equal(kind, payload.Kind);

        var handler = Modules.HandlerFor(kind);
        Assert.NotNull(handler);
        Assert.Equal(payload.GetType(), handler.PayloadType);
        Assert.Null(handler.CheckStateless(payload));
        Assert.All(handler.Spend(payload), s => Assert.True(AssetSymbol.IsValid(s.Asset, out _)));

        var name = TxPayloadCatalog.Find(kind)?.Name;
        Assert.NotNull(name);
        Assert.Matches("^[a-z]+(_[a-z]+)*$", name);
        Assert.Same(TxPayloadCatalog.Find(kind), TxPayloadCatalog.Find(name));

        var tx = Transaction.Create(9545, 7, 10_000, payload, DevKeys.Account(0));
        var decoded = Transaction.Decode(tx.Encoded);
        Assert.Equal(kind, decoded.Kind);
        Assert.Equal(payload.Encode(), decoded.Payload.Encode());
        Assert.Equal(payload.Describe().Select(f => f.ValueText), decoded.Payload.Describe().Select(f => f.ValueText));

        var json = ChainJson.Transaction(decoded, DevKeys.Account(0).Address, 3, 0);
        Assert.Equal(name, json["kind"]!.GetValue<string>());
        var fields = payload.Describe();
        Assert.Equal(fields.Select(f => f.Name), json["payload"]!.AsObject().Select(p => p.Key));

        using var http = new HttpClient();
        var node = new NodeClient(new RpcClient(new Uri("http://127.0.0.1:9"), http), CancellationToken.None); // unused: no sample names an unknown asset
        var rows = await TransactionView.TransactionRowsAsync(json, node);
        Assert.Contains(("kind", name), rows);
        foreach (var field in fields) Assert.Contains(rows, r => r.Key == field.Label);
    }

    [Fact]
    public async Task Cli_rows_show_amounts_in_decimal_units_and_rates_as_percentages()
    {
        var tx = Transaction.Create(9545, 0, 10_000, Sample(TxKind.CreateValidator), DevKeys.Account(0));
        using var http = new HttpClient();
        var rows = await TransactionView.TransactionRowsAsync(ChainJson.Transaction(tx, DevKeys.Account(0).Address, null, null),
            new NodeClient(new RpcClient(new Uri("http://127.0.0.1:9"), http), CancellationToken.None));
        Assert.Contains(("self-bond", "20 EXT"), rows);
        Assert.Contains(("commission", "5%"), rows);
        Assert.Contains(("consensus key", Hex.Encode(DevKeys.Validator.PublicKey.Compressed)), rows);
    }

    [Fact]
    public void Spend_comes_from_the_handler()
    {
        Assert.Equal([new AssetAmount("EXT", Amount.FromWhole(3))], Modules.HandlerFor(TxKind.Delegate)!.Spend(Sample(TxKind.Delegate)));
        Assert.Equal([new AssetAmount("EXT", Amount.FromWhole(20))], Modules.HandlerFor(TxKind.CreateValidator)!.Spend(Sample(TxKind.CreateValidator)));
        Assert.Empty(Modules.HandlerFor(TxKind.Undelegate)!.Spend(Sample(TxKind.Undelegate)));
    }
}
