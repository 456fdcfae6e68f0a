using System.Numerics;
using System.Security.Cryptography;
using ExCraft.Core;
using ExCraft.Swaps.Engine.Legs;
using ExCraft.Swaps.Ethereum;
using ExCraft.Swaps.Ethereum.Tests;
using Nethereum.Hex.HexTypes;
using Xunit.Abstractions;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// The participant's ETH lock is made stuck on a real anvil the way <see cref="FeeBumpEthTests"/>
/// makes a claim stuck: the test mines the blocks itself and, once the signed lock is logged, raises
/// the next block's base fee far above the lock's fee cap. The engine must replace the lock (same
/// nonce, higher fees) without waiting for a receipt; the participant is dropped right after logging
/// the replacement, before broadcasting it, and a new engine on the same log sends it and finishes
/// the swap. Exactly one version of the lock is mined, a replacement, and the ETH is locked once.
/// </summary>
public sealed class StuckLockEthTests(SwapWorld world, ITestOutputHelper output) : IClassFixture<SwapWorld>
{
    private static readonly BigInteger ExtAmount = Amount.FromWhole(3);
    private static readonly BigInteger EthAmount = SwapChain.Ether / 8;
    private static readonly BigInteger StuckBaseFee = 100_000_000_000; // 100 gwei, far above a lock priced at the fees before
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(80);

    [Fact]
    public async Task A_stuck_lock_is_replaced_resumed_after_a_crash_and_locked_once()
    {
        var (initiator, participant, secret, terms) = await SwapSetup.CreateAsync(world, t1Blocks: 900, t2Seconds: 45, ExtAmount, EthAmount);
        var participantEth = await world.EthBalanceAsync(participant.EthSender.Address);

        await using var miner = await PausableMiner.TakeOverAsync(world.Anvil);
        using var crash = new CancellationTokenSource();
        var crashed = false;
        void OnParticipantEvent(SwapEvent e)
        {
            // No block between the participant pricing its lock and the lock being logged: it is priced at the old base fee.
            if (e.Type == SwapEventTypes.CounterLockAccepted) miner.Pause();
            if (e.Type == SwapEventTypes.OwnLockPrepared)
            {
                world.Anvil.Web3.Client.SendRequestAsync("anvil_setNextBlockBaseFeePerGas", null, new HexBigInteger(StuckBaseFee).HexValue)
                    .GetAwaiter().GetResult();
                miner.Resume();
            }
            if (e.Type == SwapEventTypes.LockFeeBumped && !crashed)
            {
                crashed = true;
                crash.Cancel(); // dropped after logging the replacement, before broadcasting it
            }
        }
        var options = Drive.Options(marginSeconds: 15, windowSeconds: 8) with { FeeBumpAfter = TimeSpan.FromSeconds(3) };
        var initiatorEngine = SwapEngine.Create(initiator.Store, terms, SwapRole.Initiator, secret, initiator.Legs, options);
        var participantEngine = SwapEngine.Create(participant.Store, terms, SwapRole.Participant, null, participant.Legs, options with { OnEvent = OnParticipantEvent });
        var initiatorEnd = Drive.ToEndAsync(initiatorEngine, Bound);
        var participantEnd = await Drive.CrashThenResumeAsync(participantEngine, crash, SwapEventTypes.LockFeeBumped, participant.Store, participant.Legs, options, Bound);
        SwapState[] ends = [await initiatorEnd, participantEnd];
        output.WriteLine(Drive.Describe(ends[1]));

        Assert.Equal("completed", ends[0].Outcome);
        Assert.Equal("completed", ends[1].Outcome);
        // Every version of the lock the participant logged: the original, then each replacement.
        var versions = ends[1].Events
            .Where(e => e.Type is SwapEventTypes.OwnLockPrepared or SwapEventTypes.LockFeeBumped)
            .Select(e => SentTransactionJson.Read(e.Data["raw"]!.GetValue<string>()))
            .ToList();
        Assert.True(versions.Count >= 2, "the lock was replaced at least once");
        Assert.All(versions, v => Assert.Equal(versions[0].Nonce, v.Nonce));
        var receipts = new List<Nethereum.RPC.Eth.DTOs.TransactionReceipt>();
        foreach (var v in versions)
        {
            var r = await world.Anvil.Web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(v.Hash);
            if (r != null) receipts.Add(r);
        }
        var mined = Assert.Single(receipts);
        Assert.NotEqual(versions[0].Hash, mined.TransactionHash);
        Assert.True(mined.EffectiveGasPrice.Value > versions[0].Fees.MaxFeePerGas, "the replacement paid more per gas than the original could");
        Assert.All(versions, v => Assert.True(v.Fees.MaxFeePerGas <= options.MaxEthereumFeePerGas));

        // Locked once: one transaction from the participant's key, which paid the amount and that transaction's gas.
        Assert.Equal(1, await world.EthNonceAsync(participant.EthSender.Address));
        Assert.Equal(participantEth - EthAmount - mined.GasUsed.Value * mined.EffectiveGasPrice.Value, await world.EthBalanceAsync(participant.EthSender.Address));
        Assert.Equal(EthAmount, await world.EthBalanceAsync(initiator.EthReceive));
        Assert.Equal(ExtAmount, await world.ExtBalanceAsync(participant.ExtReceive));
    }
}
