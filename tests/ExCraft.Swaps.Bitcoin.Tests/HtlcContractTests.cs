using ExCraft.Swaps.Bitcoin;
using NBitcoin;

namespace ExCraft.Swaps.Bitcoin.Tests;

public sealed class HtlcContractTests
{
    private static readonly Key ClaimKey = new(Enumerable.Repeat((byte)0x01, 32).ToArray());
    private static readonly Key RefundKey = new(Enumerable.Repeat((byte)0x02, 32).ToArray());
    private static readonly byte[] Preimage = Enumerable.Repeat((byte)0x11, 32).ToArray();

    private static HtlcContract Contract(int height = 700_000) =>
        new(HtlcContract.HashOf(Preimage), ClaimKey.PubKey, RefundKey.PubKey, height);

    [Fact]
    public void Witness_script_has_the_specified_layout_byte_for_byte()
    {
        var hash = Convert.ToHexStringLower(HtlcContract.HashOf(Preimage));
        var expected =
            "63" + "82" + "0120" + "88" + "a8" + "20" + hash + "88" + "21" + ClaimKey.PubKey.ToHex() +
            "67" + "0360ae0a" /* 700000, little-endian script number */ + "b1" + "75" + "21" + RefundKey.PubKey.ToHex() +
            "68" + "ac";
        Assert.Equal(expected, Convert.ToHexStringLower(Contract().WitnessScript.ToBytes()));
        Assert.Equal(117, Contract().WitnessScript.Length);
        // P2WSH: OP_0 <SHA-256 of the witness script>.
        Assert.Equal("0020" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Contract().WitnessScript.ToBytes())),
            Convert.ToHexStringLower(Contract().ScriptPubKey.ToBytes()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(700_000)]
    [InlineData(HtlcContract.MaxHeight)]
    public void Parse_reads_back_the_terms(int height)
    {
        var parsed = HtlcContract.Parse(Contract(height).WitnessScript);
        Assert.Equal(Contract(height).PaymentHash, parsed.PaymentHash);
        Assert.Equal(ClaimKey.PubKey, parsed.ClaimPubKey);
        Assert.Equal(RefundKey.PubKey, parsed.RefundPubKey);
        Assert.Equal(height, parsed.TimeoutHeight);
    }

    [Fact]
    public void Parse_refuses_scripts_that_differ_from_the_layout()
    {
        var ops = Contract().WitnessScript.ToOps().ToList();
        Script With(int index, Op op) { var copy = ops.ToList(); copy[index] = op; return new Script(copy); }

        Assert.Throws<FormatException>(() => HtlcContract.Parse(With(2, Op.GetPushOp(33))));                    // size 33
        Assert.Throws<FormatException>(() => HtlcContract.Parse(With(4, OpcodeType.OP_HASH160)));              // other hash
        Assert.Throws<FormatException>(() => HtlcContract.Parse(With(10, OpcodeType.OP_CHECKSEQUENCEVERIFY))); // relative lock
        Assert.Throws<FormatException>(() => HtlcContract.Parse(new Script(ops.Take(14))));                    // no CHECKSIG
        Assert.Throws<FormatException>(() => HtlcContract.Parse(With(9, Op.GetPushOp(0))));                    // height 0
        // 700000 pushed with a needless fourth byte: same number, not the canonical script.
        Assert.Throws<FormatException>(() => HtlcContract.Parse(With(9, Op.GetPushOp([0x60, 0xae, 0x0a, 0x00]))));
    }

    [Fact]
    public void Constructor_refuses_bad_terms()
    {
        var hash = HtlcContract.HashOf(Preimage);
        Assert.Throws<ArgumentException>(() => new HtlcContract(hash[..31], ClaimKey.PubKey, RefundKey.PubKey, 100));
        Assert.Throws<ArgumentException>(() => new HtlcContract(hash, ClaimKey.PubKey.Decompress(), RefundKey.PubKey, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HtlcContract(hash, ClaimKey.PubKey, RefundKey.PubKey, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HtlcContract(hash, ClaimKey.PubKey, RefundKey.PubKey, 500_000_000));
    }

    [Fact]
    public void Addresses_use_each_networks_prefix_and_parse_back()
    {
        var contract = Contract();
        foreach (var (network, prefix) in new[]
        {
            (BitcoinNetworks.Mainnet, "bc1q"), (BitcoinNetworks.Testnet, "tb1q"),
            (BitcoinNetworks.CoreRegtest, "bcrt1q"), (BitcoinNetworks.BcoinRegtest, "rb1q"),
        })
        {
            var address = contract.Address(network).ToString();
            Assert.StartsWith(prefix, address);
            Assert.Equal(contract.ScriptPubKey, BitcoinAddress.Create(address, network).ScriptPubKey);
        }
        Assert.Throws<FormatException>(() => BitcoinAddress.Create(contract.Address(BitcoinNetworks.BcoinRegtest).ToString(), BitcoinNetworks.CoreRegtest));
    }

    [Fact]
    public void Bcoin_regtest_uses_bcoins_base58_prefixes()
    {
        var network = BitcoinNetworks.BcoinRegtest;
        var legacy = ClaimKey.PubKey.GetAddress(ScriptPubKeyType.Legacy, network).ToString();
        Assert.Equal(0x3c, network.GetBase58CheckEncoder().DecodeData(legacy)[0]);
        Assert.Equal(0x26, network.GetBase58CheckEncoder().DecodeData(ClaimKey.PubKey.ScriptPubKey.Hash.GetAddress(network).ToString())[0]);
        Assert.Equal(0x5a, network.GetBase58CheckEncoder().DecodeData(ClaimKey.GetWif(network).ToString())[0]);
        Assert.Equal(Network.RegTest.GenesisHash, network.GenesisHash);
        Assert.Same(network, BitcoinNetworks.ByName("bcoin-regtest"));
        Assert.Throws<ArgumentException>(() => BitcoinNetworks.ByName("litecoin"));
    }

    [Fact]
    public void Contracts_are_equal_by_terms_and_cannot_be_changed_from_outside()
    {
        Assert.Equal(Contract(), Contract());
        Assert.NotEqual(Contract(700_000), Contract(700_001));
        var contract = Contract();
        contract.PaymentHash[0] ^= 0xff;
        Assert.Equal(Contract(), contract);
        Assert.True(contract.IsHashOf(Preimage));
        Assert.False(contract.IsHashOf(Preimage[..31]));
    }

    [Fact]
    public void Parse_reports_an_invalid_key_as_a_format_error()
    {
        var ops = Contract().WitnessScript.ToOps().ToList();
        ops[7] = Op.GetPushOp([0x05, .. new byte[32]]); // 33 bytes, not a point encoding
        Assert.Throws<FormatException>(() => HtlcContract.Parse(new Script(ops)));
    }
}
