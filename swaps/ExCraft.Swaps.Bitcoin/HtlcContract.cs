using System.Security.Cryptography;
using NBitcoin;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>
/// The terms of one Bitcoin HTLC and its P2WSH witness script:
/// <code>
/// OP_IF
///   OP_SIZE 32 OP_EQUALVERIFY OP_SHA256 &lt;hash&gt; OP_EQUALVERIFY &lt;claim pubkey&gt;
/// OP_ELSE
///   &lt;timeout height&gt; OP_CHECKLOCKTIMEVERIFY OP_DROP &lt;refund pubkey&gt;
/// OP_ENDIF
/// OP_CHECKSIG
/// </code>
/// The claim path takes a 32-byte preimage (SPEC section 9: the same secret length on every
/// chain); the refund path is open from block height <see cref="TimeoutHeight"/> on.
/// Immutable; two contracts are the same when their witness scripts are.
/// </summary>
public sealed class HtlcContract : IEquatable<HtlcContract>
{
    public const int PreimageLength = 32;

    /// <summary>CLTV compares heights below 500,000,000 and unix times at or above it.</summary>
    public const int MaxHeight = 499_999_999;

    private readonly byte[] paymentHash;

    /// <summary>A copy: the contract cannot be changed through it.</summary>
    public byte[] PaymentHash => (byte[])paymentHash.Clone();
    public PubKey ClaimPubKey { get; }
    public PubKey RefundPubKey { get; }
    public int TimeoutHeight { get; }

    public HtlcContract(byte[] paymentHash, PubKey claimPubKey, PubKey refundPubKey, int timeoutHeight)
    {
        ArgumentNullException.ThrowIfNull(paymentHash);
        ArgumentNullException.ThrowIfNull(claimPubKey);
        ArgumentNullException.ThrowIfNull(refundPubKey);
        if (paymentHash.Length != 32)
            throw new ArgumentException($"the payment hash is a SHA-256 digest of 32 bytes, got {paymentHash.Length}", nameof(paymentHash));
        // Segwit v0 policy refuses uncompressed keys in witness scripts (BIP143 "Restrictions on public key type").
        if (!claimPubKey.IsCompressed || !refundPubKey.IsCompressed)
            throw new ArgumentException("claim and refund keys must be compressed public keys");
        if (timeoutHeight < 1 || timeoutHeight > MaxHeight)
            throw new ArgumentOutOfRangeException(nameof(timeoutHeight), timeoutHeight, $"the timeout is a block height between 1 and {MaxHeight}");
        this.paymentHash = (byte[])paymentHash.Clone();
        ClaimPubKey = claimPubKey;
        RefundPubKey = refundPubKey;
        TimeoutHeight = timeoutHeight;
        WitnessScript = BuildWitnessScript();
        ScriptPubKey = WitnessScript.WitHash.ScriptPubKey;
    }

    public static byte[] HashOf(ReadOnlySpan<byte> preimage) => SHA256.HashData(preimage);

    /// <summary>The witness script, which the claim and refund witnesses reveal.</summary>
    public Script WitnessScript { get; }

    /// <summary>The output script that funds the HTLC: OP_0 &lt;SHA-256 of the witness script&gt;.</summary>
    public Script ScriptPubKey { get; }

    public bool IsHashOf(ReadOnlySpan<byte> preimage) => HashOf(preimage).AsSpan().SequenceEqual(paymentHash);

    private Script BuildWitnessScript() => new(
        OpcodeType.OP_IF,
        OpcodeType.OP_SIZE, Op.GetPushOp(PreimageLength), OpcodeType.OP_EQUALVERIFY,
        OpcodeType.OP_SHA256, Op.GetPushOp(paymentHash), OpcodeType.OP_EQUALVERIFY,
        Op.GetPushOp(ClaimPubKey.ToBytes()),
        OpcodeType.OP_ELSE,
        Op.GetPushOp(TimeoutHeight), OpcodeType.OP_CHECKLOCKTIMEVERIFY, OpcodeType.OP_DROP,
        Op.GetPushOp(RefundPubKey.ToBytes()),
        OpcodeType.OP_ENDIF,
        OpcodeType.OP_CHECKSIG);

    public BitcoinWitScriptAddress Address(Network network) => WitnessScript.WitHash.GetAddress(network);

    /// <summary>
    /// Reads the terms back from a witness script, accepting only the exact layout above (so a
    /// counterparty's script is audited, not trusted).
    /// </summary>
    public static HtlcContract Parse(Script witnessScript)
    {
        ArgumentNullException.ThrowIfNull(witnessScript);
        var ops = witnessScript.ToOps().ToList();
        if (ops.Count != 15)
            throw new FormatException($"not an HTLC script: {ops.Count} operations, expected 15");
        static void Expect(Op op, OpcodeType code, int index)
        {
            if (op.Code != code)
                throw new FormatException($"not an HTLC script: operation {index} is {op.Code}, expected {code}");
        }
        Expect(ops[0], OpcodeType.OP_IF, 0);
        Expect(ops[1], OpcodeType.OP_SIZE, 1);
        if (ops[2].GetInt() != PreimageLength)
            throw new FormatException($"not an HTLC script: the preimage size checked is not {PreimageLength}");
        Expect(ops[3], OpcodeType.OP_EQUALVERIFY, 3);
        Expect(ops[4], OpcodeType.OP_SHA256, 4);
        var hash = ops[5].PushData ?? throw new FormatException("not an HTLC script: no hash push");
        Expect(ops[6], OpcodeType.OP_EQUALVERIFY, 6);
        var claim = ops[7].PushData ?? throw new FormatException("not an HTLC script: no claim key push");
        Expect(ops[8], OpcodeType.OP_ELSE, 8);
        var height = ops[9].GetLong() ?? throw new FormatException("not an HTLC script: no timeout height");
        Expect(ops[10], OpcodeType.OP_CHECKLOCKTIMEVERIFY, 10);
        Expect(ops[11], OpcodeType.OP_DROP, 11);
        var refund = ops[12].PushData ?? throw new FormatException("not an HTLC script: no refund key push");
        Expect(ops[13], OpcodeType.OP_ENDIF, 13);
        Expect(ops[14], OpcodeType.OP_CHECKSIG, 14);
        if (height < 1 || height > MaxHeight)
            throw new FormatException($"not an HTLC script: timeout {height} is not a block height");
        HtlcContract contract;
        try
        {
            contract = new HtlcContract(hash, new PubKey(claim), new PubKey(refund), (int)height);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new FormatException("not an HTLC script: " + e.Message, e);
        }
        // Only the canonical (minimal-push) encoding is accepted, so one set of terms has one address.
        if (contract.WitnessScript != witnessScript)
            throw new FormatException("not an HTLC script: pushes are not minimally encoded");
        return contract;
    }

    public bool Equals(HtlcContract? other) => other is not null && WitnessScript == other.WitnessScript;
    public override bool Equals(object? obj) => Equals(obj as HtlcContract);
    public override int GetHashCode() => WitnessScript.GetHashCode();
}
