using System.Numerics;
using System.Security.Cryptography;
using ExCraft.Core;
using ExCraft.Swaps.Engine.Legs;
using ExCraft.Swaps.Ethereum.Tests;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>Fresh parties and the agreed terms of an EXT (initiator, T1 in blocks) for ETH or an ERC20 token (participant, T2 in seconds) swap.</summary>
public sealed record SwapSetup(Party Initiator, Party Participant, byte[] Secret, SwapAgreement Terms)
{
    public static readonly BigInteger ExtAmount = Amount.FromWhole(7);
    public static readonly BigInteger EthAmount = SwapChain.Ether / 4;

    public static async Task<SwapSetup> CreateAsync(SwapWorld world, int t1Blocks, int t2Seconds,
        BigInteger? extAmount = null, BigInteger? outsideAmount = null, string outsideAsset = EthereumLeg.Ether)
    {
        var initiator = await world.PartyAsync("initiator");
        var participant = await world.PartyAsync("participant");
        var secret = RandomNumberGenerator.GetBytes(32);
        var terms = new SwapAgreement(
            SHA256.HashData(secret),
            new LegTerms(ExCraftLeg.ChainName, "EXT", extAmount ?? ExtAmount, participant.ExtReceive.ToString(), initiator.ExtRefund.ToString(),
                await world.ExtHeightAsync() + t1Blocks, 1),
            new LegTerms(EthereumLeg.ChainName, outsideAsset, outsideAmount ?? EthAmount, initiator.EthReceive, participant.EthRefund,
                await world.EthNowAsync() + t2Seconds, 1));
        return new SwapSetup(initiator, participant, secret, terms);
    }
}
