using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Core.Tests;

/// <summary>The kyc and pools genesis sections and a market's pool scope: read, defaults, write-back, hash, encoding.</summary>
public sealed class KycPoolsGenesisTests
{
    private static string DevPath => TestPaths.InRepo("genesis", "dev.json");

    [Fact]
    public void Dev_genesis_names_dev_account_0_the_kyc_authority_and_sets_the_pools_parameters()
    {
        var dev = GenesisConfig.Load(DevPath);
        Assert.Equal([DevKeys.Account(0).Address], dev.Kyc.Authorities);
        Assert.Equal(new PoolsParameters(Amount.FromWhole(30_000), 50_000, 101, 1), dev.Pools);
        // Written back and read again: the same sections and the same hash.
        var again = GenesisConfig.Parse(GenesisJson.Write(dev).ToJsonString());
        Assert.Equal(dev.Kyc.Authorities, again.Kyc.Authorities);
        Assert.Equal(dev.Pools, again.Pools);
        Assert.Equal(Hex.Encode(dev.Hash()), Hex.Encode(again.Hash()));
    }

    [Fact]
    public void Absent_sections_are_no_authority_and_the_mainnet_pools_parameters_and_they_change_the_hash()
    {
        var dev = GenesisConfig.Load(DevPath);
        var bare = dev with { Kyc = KycGenesis.None, Pools = PoolsParameters.Mainnet };
        Assert.Empty(bare.Kyc.Authorities);
        Assert.Equal(Amount.FromWhole(30_000), PoolsParameters.Mainnet.CreationStake);
        Assert.Equal((101u, 100u), (PoolsParameters.Mainnet.MaxEligiblePools, PoolsParameters.Mainnet.MinVerifiedMembers));
        Assert.NotEqual(Hex.Encode(dev.Hash()), Hex.Encode(bare.Hash()));
        Assert.NotEqual(Hex.Encode(bare.Hash()), Hex.Encode((bare with { Pools = PoolsParameters.Mainnet with { MinVerifiedMembers = 99 } }).Hash()));
    }

    [Fact]
    public void A_global_market_keeps_its_nine_item_encoding_and_a_scoped_one_adds_the_pool()
    {
        var global = new MarketDefinition("GOLD", "EXT", 1_000, 10_000, 1, 1_000, 2_000, 0, false);
        Assert.Equal(9, Rlp.Decode(global.Encode()).Items.Count);
        var scoped = global with { Pool = 7 };
        Assert.Equal(10, Rlp.Decode(scoped.Encode()).Items.Count);
        Assert.Equal(scoped, MarketDefinition.Decode(Rlp.Decode(scoped.Encode())));
        Assert.Equal(global, MarketDefinition.Decode(Rlp.Decode(global.Encode())));
        var zeroScope = Rlp.EncodeList(Rlp.EncodeString("GOLD"), Rlp.EncodeString("EXT"), Rlp.EncodeUInt(1_000), Rlp.EncodeUInt(10_000), Rlp.EncodeUInt(1),
            Rlp.EncodeUInt(1_000), Rlp.EncodeUInt(2_000), Rlp.EncodeUInt(0), Rlp.EncodeBool(false), Rlp.EncodeUInt(0));
        Assert.Throws<RlpException>(() => MarketDefinition.Decode(Rlp.Decode(zeroScope)));
    }
}
