using System.Numerics;
using System.Security.Cryptography;
using ExCraft.Core;
using ExCraft.Integration.Tests;
using ExCraft.Swaps.Engine.Legs;
using ExCraft.Swaps.Ethereum;
using ExCraft.Swaps.Ethereum.Tests;
using Nethereum.Hex.HexTypes;
using Xunit.Abstractions;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// The initiator's claim of the ETH leg is made stuck on a real anvil: the test mines the blocks
/// itself and, once the claim is in the pool, raises the next block's base fee far above the
/// claim's fee cap. The engine must replace the claim (same nonce, higher fees) and the swap must
/// complete, paid by the replacement alone. The initiator is dropped right after logging the
/// replacement, and a new engine on the same log finishes the swap from whichever claim is mined.
/// </summary>
public sealed class FeeBumpEthTests(SwapWorld world, ITestOutputHelper output) : IClassFixture<SwapWorld>
{
    private static readonly BigInteger ExtAmount = Amount.FromWhole(5);
    private static readonly BigInteger EthAmount = SwapChain.Ether / 5;
    private static readonly BigInteger StuckBaseFee = 100_000_000_000; // 100 gwei, far above a claim priced at the fees before
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(80);

    [Fact]
    public async Task A_stuck_claim_is_replaced_with_higher_fees_and_the_swap_completes()
    {
        var (initiator, participant, secret, terms) = await SwapSetup.CreateAsync(world, t1Blocks: 900, t2Seconds: 40, ExtAmount, EthAmount);
        var initiatorEth = await world.EthBalanceAsync(initiator.EthSender.Address);

        // The test is the miner from here on: no block is mined between the initiator accepting the
        // participant's lock and its claim reaching the pool, so the claim is priced at the old base fee.
        await using var miner = await PausableMiner.TakeOverAsync(world.Anvil);
        using var crash = new CancellationTokenSource();
        var crashed = false;
        void OnInitiatorEvent(SwapEvent e)
        {
            if (e.Type == SwapEventTypes.FeeBumped && !crashed)
            {
                crashed = true;
                crash.Cancel(); // the engine is dropped right after logging the replacement
            }
            if (e.Type == SwapEventTypes.CounterLockAccepted) miner.Pause(); // returns once no block is being mined
            if (e.Type != SwapEventTypes.ClaimSent) return;
            world.Anvil.Web3.Client.SendRequestAsync("anvil_setNextBlockBaseFeePerGas", null, new HexBigInteger(StuckBaseFee).HexValue)
                .GetAwaiter().GetResult();
            miner.Resume();
        }
        var options = Drive.Options(marginSeconds: 15, windowSeconds: 8) with { FeeBumpAfter = TimeSpan.FromSeconds(3) };
        var initiatorEngine = SwapEngine.Create(initiator.Store, terms, SwapRole.Initiator, secret, initiator.Legs, options with { OnEvent = OnInitiatorEvent });
        var participantEngine = SwapEngine.Create(participant.Store, terms, SwapRole.Participant, null, participant.Legs, options);
        var participantEnd = Drive.ToEndAsync(participantEngine, Bound);
        var initiatorEnd = await Drive.CrashThenResumeAsync(initiatorEngine, crash, SwapEventTypes.FeeBumped, initiator.Store, initiator.Legs, options, Bound);
        SwapState[] ends = [initiatorEnd, await participantEnd];
        output.WriteLine(Drive.Describe(ends[0]));

        Assert.Equal("completed", ends[0].Outcome);
        Assert.Equal("completed", ends[1].Outcome);
        var sends = ends[0].ClaimSends;
        Assert.True(sends.Count >= 2, "the claim was replaced at least once");
        Assert.Contains(SwapEventTypes.FeeBumped, Drive.Types(ends[0]));
        var original = SentTransactionJson.Read(sends[0].Replay!);
        // Exactly one of the claims was mined, a replacement, with the original's nonce and a higher price.
        var receipts = new List<Nethereum.RPC.Eth.DTOs.TransactionReceipt>();
        foreach (var send in sends)
        {
            var r = await world.Anvil.Web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(send.Tx);
            if (r != null) receipts.Add(r);
        }
        var mined = Assert.Single(receipts);
        Assert.NotEqual(sends[0].Tx, mined.TransactionHash);
        Assert.Equal(ends[0].CounterClaimTx, mined.TransactionHash, ignoreCase: true);
        var replacement = SentTransactionJson.Read(sends.Single(x => string.Equals(x.Tx, mined.TransactionHash, StringComparison.OrdinalIgnoreCase)).Replay!);
        Assert.Equal(original.Nonce, replacement.Nonce);
        Assert.True(mined.EffectiveGasPrice.Value > original.Fees.MaxFeePerGas, "the replacement paid more per gas than the original could");
        Assert.True(replacement.Fees.MaxFeePerGas <= options.MaxEthereumFeePerGas);

        // Balances: the receiving address got exactly the amount; the claimer paid the replacement's gas and nothing else.
        Assert.Equal(EthAmount, await world.EthBalanceAsync(initiator.EthReceive));
        Assert.Equal(initiatorEth - mined.GasUsed.Value * mined.EffectiveGasPrice.Value, await world.EthBalanceAsync(initiator.EthSender.Address));
        Assert.Equal(0, await world.EthBalanceAsync(participant.EthRefund));
        Assert.Equal(ExtAmount, await world.ExtBalanceAsync(participant.ExtReceive));
        Assert.Equal(secret, ends[1].Secret);
    }
}
