using System.Numerics;
using Xunit.Abstractions;
using System.Security.Cryptography;
using ExCraft.Core;
using ExCraft.Swaps.Engine.Legs;
using ExCraft.Swaps.Ethereum.Tests;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// EXT against ETH and an ERC20 token, both engines driving real chains: the initiator locks EXT on
/// the ExCraft dev node, the participant locks on anvil. Every outcome is read from balances on
/// both chains.
/// </summary>
public sealed class ExtEthSwapTests(SwapWorld world, ITestOutputHelper output) : IClassFixture<SwapWorld>
{
    private static readonly BigInteger ExtAmount = Amount.FromWhole(7);
    private static readonly BigInteger EthAmount = SwapChain.Ether / 4;
    private static readonly BigInteger TokenAmount = 40 * SwapChain.TokenUnit;
    private static readonly BigInteger Fee = SwapWorld.Fee;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private sealed record Setup(Party Initiator, Party Participant, byte[] Secret, SwapAgreement Terms, string Asset, BigInteger Amount);

    private async Task<Setup> SetupAsync(bool token, int t1Blocks, int t2Seconds)
    {
        var asset = token ? world.Token : EthereumLeg.Ether;
        var amount = token ? TokenAmount : EthAmount;
        var (initiator, participant, secret, terms) = await SwapSetup.CreateAsync(world, t1Blocks, t2Seconds, ExtAmount, amount, asset);
        return new Setup(initiator, participant, secret, terms, asset, amount);
    }

    private Task<BigInteger> OnEthAsync(Setup s, string address) =>
        s.Asset == EthereumLeg.Ether ? world.EthBalanceAsync(address) : world.TokenBalanceAsync(address);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Happy_path_both_legs_are_claimed(bool token)
    {
        var s = await SetupAsync(token, t1Blocks: 600, t2Seconds: 30);
        var options = Drive.Options(marginSeconds: 15, windowSeconds: 8);
        var initiatorExt = await world.ExtBalanceAsync(s.Initiator.ExtKey.Address);
        var participantExt = await world.ExtBalanceAsync(s.Participant.ExtKey.Address);
        var participantEth = await OnEthAsync(s, s.Participant.EthSender.Address);
        var contract = await OnEthAsync(s, world.Htlc.ContractAddress);

        var initiator = SwapEngine.Create(s.Initiator.Store, s.Terms, SwapRole.Initiator, s.Secret, s.Initiator.Legs, options);
        var participant = SwapEngine.Create(s.Participant.Store, s.Terms, SwapRole.Participant, null, s.Participant.Legs, options);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ends = await Task.WhenAll(Drive.ToEndAsync(initiator, Bound), Drive.ToEndAsync(participant, Bound));
        output.WriteLine($"EXT<->{(token ? "ERC20" : "ETH")}: both legs claimed {clock.Elapsed.TotalSeconds:0.0} s after the start; ExCraft lock tx {ends[0].OwnLock!.Raw!.Length / 2 - 1} bytes");

        Assert.Equal("completed", ends[0].Outcome);
        Assert.Equal("completed", ends[1].Outcome);
        Assert.Equal(s.Secret, ends[1].Secret); // learned from the initiator's claim on anvil
        // ExCraft: the initiator paid the amount and one fee; the participant's receiving address got
        // exactly the amount; its key paid one claim fee.
        Assert.Equal(initiatorExt - ExtAmount - Fee, await world.ExtBalanceAsync(s.Initiator.ExtKey.Address));
        Assert.Equal(ExtAmount, await world.ExtBalanceAsync(s.Participant.ExtReceive));
        Assert.Equal(participantExt - Fee, await world.ExtBalanceAsync(s.Participant.ExtKey.Address));
        // Ethereum: the initiator's receiving address got exactly the amount; the contract holds nothing of the swap.
        Assert.Equal(s.Amount, await OnEthAsync(s, s.Initiator.EthReceive));
        Assert.Equal(contract, await OnEthAsync(s, world.Htlc.ContractAddress));
        if (token) Assert.Equal(participantEth - s.Amount, await OnEthAsync(s, s.Participant.EthSender.Address));
        else Assert.True(await OnEthAsync(s, s.Participant.EthSender.Address) < participantEth - s.Amount); // the amount plus gas
        Assert.Equal(0, await OnEthAsync(s, s.Participant.EthRefund));
    }

    [Fact]
    public async Task Participant_never_locks_and_the_initiator_refunds_after_T1()
    {
        var s = await SetupAsync(token: false, t1Blocks: 100, t2Seconds: 30);
        var initiatorExt = await world.ExtBalanceAsync(s.Initiator.ExtKey.Address);
        var initiator = SwapEngine.Create(s.Initiator.Store, s.Terms, SwapRole.Initiator, s.Secret, s.Initiator.Legs, Drive.Options(5, 3));

        var end = await Drive.ToEndAsync(initiator, Bound);

        Assert.Equal("refunded", end.Outcome);
        Assert.True(await world.ExtHeightAsync() >= s.Terms.InitiatorLeg.Timeout);
        Assert.Equal(initiatorExt - ExtAmount - 2 * Fee, await world.ExtBalanceAsync(s.Initiator.ExtKey.Address)); // lock and refund fees
        Assert.Equal(ExtAmount, await world.ExtBalanceAsync(s.Initiator.ExtRefund));
        Assert.Equal(0, await world.ExtBalanceAsync(s.Participant.ExtReceive));
        Assert.DoesNotContain(SwapEventTypes.CounterClaimed, Drive.Types(end));
    }

    [Fact]
    public async Task Initiator_never_claims_and_both_sides_refund()
    {
        var s = await SetupAsync(token: false, t1Blocks: 400, t2Seconds: 20); // the participant has 16 s to lock
        var initiatorExt = await world.ExtBalanceAsync(s.Initiator.ExtKey.Address);
        var contract = await world.EthBalanceAsync(world.Htlc.ContractAddress);
        var stop = new CancellationTokenSource();
        // The initiator disappears the moment it has accepted the participant's lock, before claiming.
        var initiatorOptions = Drive.Options(8, 4, e => { if (e.Type == SwapEventTypes.CounterLockAccepted) stop.Cancel(); });
        var initiator = SwapEngine.Create(s.Initiator.Store, s.Terms, SwapRole.Initiator, s.Secret, s.Initiator.Legs, initiatorOptions);
        var participant = SwapEngine.Create(s.Participant.Store, s.Terms, SwapRole.Participant, null, s.Participant.Legs, Drive.Options(8, 4));

        var gone = Drive.UntilCrashAsync(initiator, stop, Bound);
        var participantEnd = await Drive.ToEndAsync(participant, Bound);
        await gone;
        Assert.Equal("refunded", participantEnd.Outcome);
        Assert.Equal(EthAmount, await world.EthBalanceAsync(s.Participant.EthRefund));
        Assert.Equal(0, await world.EthBalanceAsync(s.Initiator.EthReceive));
        Assert.Equal(contract, await world.EthBalanceAsync(world.Htlc.ContractAddress));

        // The initiator comes back after the participant's refund: it must not claim, and refunds at T1.
        var back = SwapEngine.Open(s.Initiator.Store, s.Terms.Id, s.Initiator.Legs, Drive.Options(8, 4));
        var initiatorEnd = await Drive.ToEndAsync(back, Bound);
        Assert.Equal("refunded", initiatorEnd.Outcome);
        Assert.Contains(SwapEventTypes.CounterRefunded, Drive.Types(initiatorEnd));
        Assert.Equal(initiatorExt - ExtAmount - 2 * Fee, await world.ExtBalanceAsync(s.Initiator.ExtKey.Address));
        Assert.Equal(ExtAmount, await world.ExtBalanceAsync(s.Initiator.ExtRefund));
        Assert.Equal(0, await world.ExtBalanceAsync(s.Participant.ExtReceive));
    }
}
