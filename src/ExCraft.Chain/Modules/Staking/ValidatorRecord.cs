using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Staking;

/// <summary>
/// A validator candidate, keyed by its operator address. Tokens are the EXT bonded to it (self-bond
/// and delegations); delegators hold shares of them, so a slash lowers every share's value at once.
/// </summary>
public sealed record ValidatorRecord(
    Address Operator,
    byte[] ConsensusKey,
    Address ConsensusAddress,
    string Moniker,
    uint CommissionPpm,
    uint MaxCommissionPpm,
    uint MaxDailyChangePpm,
    ulong CommissionChangedMs,
    UInt128 Tokens,
    UInt128 Shares,
    bool Jailed,
    ulong JailedUntilMs,
    bool Tombstoned,
    ulong CreatedHeight)
{
    /// <summary>Voting power: bonded stake in whole EXT.</summary>
    public ulong Power => (ulong)(Tokens / Amount.Pow10(Amount.ExtDecimals));

    /// <summary>The tokens a number of this validator's shares is worth (rounded down).</summary>
    public UInt128 TokensOf(UInt128 shares) => Shares == 0 ? 0 : MulDiv(shares, Tokens, Shares, roundUp: false);

    /// <summary>Shares that a bond of this many tokens buys (rounded down, in the validator's favour).</summary>
    public UInt128 SharesFor(UInt128 tokens) => Shares == 0 || Tokens == 0 ? tokens : MulDiv(tokens, Shares, Tokens, roundUp: false);

    /// <summary>Shares to give up to withdraw this many tokens (rounded up, in the validator's favour).</summary>
    public UInt128 SharesToWithdraw(UInt128 tokens) => MulDiv(tokens, Shares, Tokens, roundUp: true);

    /// <summary>a * b / c exactly (through 256-bit intermediate), rounded as asked.</summary>
    private static UInt128 MulDiv(UInt128 a, UInt128 b, UInt128 c, bool roundUp)
    {
        var product = (System.Numerics.BigInteger)a * b;
        var quotient = System.Numerics.BigInteger.DivRem(product, c, out var remainder);
        if (roundUp && remainder != 0) quotient += 1;
        return (UInt128)quotient;
    }

    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeBytes(ConsensusKey), Rlp.EncodeString(Moniker), Rlp.EncodeUInt(CommissionPpm), Rlp.EncodeUInt(MaxCommissionPpm),
        Rlp.EncodeUInt(MaxDailyChangePpm), Rlp.EncodeUInt(CommissionChangedMs), Rlp.EncodeUInt(Tokens), Rlp.EncodeUInt(Shares),
        Rlp.EncodeBool(Jailed), Rlp.EncodeUInt(JailedUntilMs), Rlp.EncodeBool(Tombstoned), Rlp.EncodeUInt(CreatedHeight));

    public static ValidatorRecord Decode(Address operatorAddress, byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(12, "validator");
        var key = f[0].AsFixed(33, "consensus key");
        return new ValidatorRecord(operatorAddress, key, new Core.Crypto.PublicKey(key).Address, f[1].AsUtf8(), (uint)f[2].AsUInt64(), (uint)f[3].AsUInt64(),
            (uint)f[4].AsUInt64(), f[5].AsUInt64(), f[6].AsUInt128(), f[7].AsUInt128(), f[8].AsBool(), f[9].AsUInt64(), f[10].AsBool(), f[11].AsUInt64());
    }
}
