using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Core.Tests;

/// <summary>
/// The transaction format, pinned byte for byte by the worked example of docs/spec/transactions.md
/// (also produced independently by tools/tx-example/build-tx.mjs with ethers v6).
/// </summary>
public class TransactionTests
{
    // ---- the worked example: transfer 1.5 EXT from dev account 0 to dev account 1 ---------------
    private const ulong ChainId = 9545;
    private const ulong Nonce = 0;
    private static readonly UInt128 Fee = 10_000_000_000_000;                // 0.00001 EXT
    private static readonly UInt128 Amount15 = 1_500_000_000_000_000_000;    // 1.5 EXT

    internal const string SenderKeyHex = "0x76dc796efc3e2022ace4b25019b71d3555b8eecce1b763c13ffc05be816cd9d1";
    internal const string SenderHex = "0x29bc2e6e1e3fd708b9ba26945c9313d74ed61d78";
    internal const string RecipientHex = "0xcae06b2699ead972718a3245462c8013d487fe59";

    internal const string PayloadHex = "0xe294cae06b2699ead972718a3245462c8013d487fe59834558548814d1120d7b160000";
    internal const string UnsignedHex =
        "0xef822549808609184e72a00001e294cae06b2699ead972718a3245462c8013d487fe59834558548814d1120d7b160000";
    internal const string SigningHashHex = "0x6ca9579fd43f2538b8fec5655e90e16a8c56e85c74bde699498bfb7cb4c979ab";
    internal const string RHex = "0xfd204bdf540fc84f0ec199bb9478c66614d9efdef7f22dae1fa2daa56ec2349b";
    internal const string SHex = "0x6a53a9dd267c3d361d392ea0abaaf28997445b1d0da34d914bf9c38785886669";
    internal const string SignatureHex =
        "0xfd204bdf540fc84f0ec199bb9478c66614d9efdef7f22dae1fa2daa56ec2349b6a53a9dd267c3d361d392ea0abaaf28997445b1d0da34d914bf9c3878588666900";
    internal const string WireHex =
        "0xf872822549808609184e72a00001e294cae06b2699ead972718a3245462c8013d487fe59834558548814d1120d7b160000" +
        "b841fd204bdf540fc84f0ec199bb9478c66614d9efdef7f22dae1fa2daa56ec2349b6a53a9dd267c3d361d392ea0abaaf28997445b1d0da34d914bf9c3878588666900";
    internal const string TxHashHex = "0x21bac3b5d7de28ffa56e5285affd99082b9c04f80c6efa40dd079fc3bda5be28";

    // The wire form's six items, for building malformed variants.
    private const string ChainIdItem = "822549";
    private const string NonceItem = "80";
    private const string FeeItem = "8609184e72a000";
    private const string KindItem = "01";
    private const string PayloadItem = "e294cae06b2699ead972718a3245462c8013d487fe59834558548814d1120d7b160000";
    private const string SignatureItem = "b841" + "fd204bdf540fc84f0ec199bb9478c66614d9efdef7f22dae1fa2daa56ec2349b6a53a9dd267c3d361d392ea0abaaf28997445b1d0da34d914bf9c3878588666900";

    private static readonly BigInteger N = BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", NumberStyles.HexNumber);

    [Fact]
    public void LowSBound_IsHalfTheOrder_AsDocumented()
    {
        // docs/spec/transactions.md gives n and n/2; s must be <= n/2.
        Assert.Equal("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", (N / 2).ToString("x64", CultureInfo.InvariantCulture)[^64..]);
        var s = new BigInteger(Hex.Decode(SHex), isUnsigned: true, isBigEndian: true);
        Assert.True(s <= N / 2);
    }

    private static TransferPayload ExamplePayload() => new(DevKeys.Account(1).Address, "EXT", Amount15);

    private static Transaction Example() => Transaction.Create(ChainId, Nonce, Fee, ExamplePayload(), DevKeys.Account(0));

    private static byte[] Wire(params string[] itemsHex) => Rlp.EncodeList(itemsHex.Select(Hex.Decode).ToArray());

    [Fact]
    public void WorkedExample_Inputs()
    {
        Assert.Equal(SenderKeyHex, DevKeys.Account(0).ToHex());
        Assert.Equal(SenderHex, DevKeys.Account(0).Address.ToHex());
        Assert.Equal(RecipientHex, DevKeys.Account(1).Address.ToHex());
        Assert.Equal(Fee, Amount.Parse("0.00001"));
        Assert.Equal(Amount15, Amount.Parse("1.5"));
        Assert.Equal(ChainId, GenesisConfig.Load(TestPaths.InRepo("genesis", "dev.json")).ChainId);
    }

    [Fact]
    public void WorkedExample_IsPinnedByteForByte()
    {
        var payload = ExamplePayload();
        Assert.Equal(TxKind.Transfer, payload.Kind);
        Assert.Equal(PayloadHex, Hex.Encode(payload.Encode()));
        Assert.Equal(UnsignedHex, Hex.Encode(Transaction.EncodeUnsigned(ChainId, Nonce, Fee, payload)));
        Assert.Equal(SigningHashHex, Hex.Encode(Transaction.ComputeSigningHash(ChainId, Nonce, Fee, payload)));
        Assert.Equal(SigningHashHex, Hex.Encode(Keccak256.Hash(Hex.Decode(UnsignedHex))));

        var tx = Example();
        Assert.Equal(SigningHashHex, Hex.Encode(tx.SigningHash));
        Assert.Equal(SignatureHex, Hex.Encode(tx.Signature.ToBytes()));
        Assert.Equal(RHex, Hex.Encode(tx.Signature.R));
        Assert.Equal(SHex, Hex.Encode(tx.Signature.S));
        Assert.Equal(0, tx.Signature.RecoveryId);
        Assert.True(tx.Signature.IsLowS);
        Assert.Equal(WireHex, Hex.Encode(tx.Encoded));
        Assert.Equal(TxHashHex, Hex.Encode(tx.Hash));
        Assert.Equal(TxHashHex, Hex.Encode(Keccak256.Hash(Hex.Decode(WireHex))));
        Assert.Equal(WireHex, Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem, PayloadItem, SignatureItem)));
    }

    [Fact]
    public void SpecDocument_ShowsThePinnedValues()
    {
        var doc = File.ReadAllText(TestPaths.InRepo("docs", "spec", "transactions.md"));
        foreach (var value in new[] { SenderKeyHex, SenderHex, RecipientHex, PayloadHex, UnsignedHex, SigningHashHex, RHex, SHex, SignatureHex, WireHex, TxHashHex })
        {
            Assert.True(doc.Contains(value, StringComparison.Ordinal), $"docs/spec/transactions.md does not show {value}");
        }
        Assert.Contains(DevKeys.Account(0).Address.ToString(), doc);
        Assert.Contains(DevKeys.Account(1).Address.ToString(), doc);
    }

    [Fact]
    public void WorkedExample_DecodesAndRecoversSender()
    {
        var tx = Transaction.Decode(Hex.Decode(WireHex));
        Assert.Equal(ChainId, tx.ChainId);
        Assert.Equal(Nonce, tx.Nonce);
        Assert.Equal(Fee, tx.Fee);
        Assert.Equal(TxKind.Transfer, tx.Kind);
        Assert.Equal(ExamplePayload(), tx.Payload);
        Assert.Equal(SignatureHex, tx.Signature.ToString());
        Assert.Equal(SigningHashHex, Hex.Encode(tx.SigningHash));
        Assert.Equal(TxHashHex, Hex.Encode(tx.Hash));
        Assert.Equal(WireHex, Hex.Encode(tx.Encoded));
        Assert.True(tx.TryRecoverSender(out var sender, out var error), error);
        Assert.Equal(DevKeys.Account(0).Address, sender);
        Assert.Equal(SenderHex, sender.ToHex());
    }

    [Fact]
    public void DecodeOfEncode_RoundTrips()
    {
        var tx = Example();
        var decoded = Transaction.Decode(tx.Encoded);
        Assert.Equal(tx.Encoded, decoded.Encoded);
        Assert.Equal(tx.Hash, decoded.Hash);
        Assert.Equal(tx.SigningHash, decoded.SigningHash);
        Assert.Equal(tx.Payload, decoded.Payload);
        Assert.Equal(tx.Signature, decoded.Signature);
    }

    [Fact]
    public void IssueAssetExample_RoundTrips()
    {
        var payload = new IssueAssetPayload("GOLD", 6, 21_000_000_000_000); // 21,000,000 GOLD with 6 decimals
        Assert.Equal("0xcd84474f4c4406861319718a5000", Hex.Encode(payload.Encode()));
        Assert.Equal("0xda822549018609184e72a00002cd84474f4c4406861319718a5000", Hex.Encode(Transaction.EncodeUnsigned(ChainId, 1, Fee, payload)));
        var tx = Transaction.Create(ChainId, 1, Fee, payload, DevKeys.Account(0));
        var decoded = Transaction.Decode(tx.Encoded);
        Assert.Equal(TxKind.IssueAsset, decoded.Kind);
        Assert.Equal(payload, decoded.Payload);
        Assert.Equal(1UL, decoded.Nonce);
        Assert.Equal(tx.Hash, decoded.Hash);
        Assert.Equal(
            "0xf85d822549018609184e72a00002cd84474f4c4406861319718a5000b841" + Convert.ToHexStringLower(tx.Signature.ToBytes()),
            Hex.Encode(tx.Encoded));
        Assert.True(decoded.TryRecoverSender(out var sender, out var error), error);
        Assert.Equal(DevKeys.Account(0).Address, sender);
    }

    [Fact]
    public void RegisterExample_RoundTrips()
    {
        var payload = new RegisterPayload();
        Assert.Equal("0xc0", Hex.Encode(payload.Encode()));
        var tx = Transaction.Create(ChainId, 2, Fee, payload, DevKeys.Account(2));
        Assert.Equal(
            "0xf850822549028609184e72a00003c0b841" + Convert.ToHexStringLower(tx.Signature.ToBytes()),
            Hex.Encode(tx.Encoded));
        var decoded = Transaction.Decode(tx.Encoded);
        Assert.Equal(TxKind.Register, decoded.Kind);
        Assert.IsType<RegisterPayload>(decoded.Payload);
        Assert.Equal(tx.Hash, decoded.Hash);
        Assert.True(decoded.TryRecoverSender(out var sender, out var error), error);
        Assert.Equal(DevKeys.Account(2).Address, sender);
    }

    public static TheoryData<string, string, string> NonCanonical => new()
    {
        // name, wire hex, a phrase the exception message must contain
        { "leading-zero nonce (0 as 0x00)", Hex.Encode(Wire(ChainIdItem, "00", FeeItem, KindItem, PayloadItem, SignatureItem)), "leading zero" },
        { "leading-zero chain id", Hex.Encode(Wire("83002549", NonceItem, FeeItem, KindItem, PayloadItem, SignatureItem)), "leading zero" },
        { "leading-zero fee", Hex.Encode(Wire(ChainIdItem, NonceItem, "870009184e72a000", KindItem, PayloadItem, SignatureItem)), "leading zero" },
        { "leading-zero kind", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, "820001", PayloadItem, SignatureItem)), "leading zero" },
        { "leading-zero amount", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem,
            "e394cae06b2699ead972718a3245462c8013d487fe5983455854890014d1120d7b160000", SignatureItem)), "leading zero" },
        { "single byte 0x01 as 0x8101", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, "8101", PayloadItem, SignatureItem)), "non-canonical" },
        { "extra field", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem, PayloadItem, SignatureItem, "80")), "expected 6 fields, found 7" },
        { "missing signature", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem, PayloadItem)), "expected 6 fields, found 5" },
        { "extra payload field", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem,
            "e394cae06b2699ead972718a3245462c8013d487fe59834558548814d1120d7b16000080", SignatureItem)), "expected 3 fields, found 4" },
        { "trailing bytes", WireHex + "00", "trailing" },
        { "unknown kind 99", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, "63", PayloadItem, SignatureItem)), "unknown transaction kind 99" },
        { "kind 0", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, "80", PayloadItem, SignatureItem)), "unknown transaction kind 0" },
        { "kind 257", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, "820101", PayloadItem, SignatureItem)), "unknown transaction kind 257" },
        { "kind/payload mismatch (register with a transfer payload)", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, "03", PayloadItem, SignatureItem)), "expected 0 fields, found 3" },
        { "payload is a string, not a list", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem, "80", SignatureItem)), "expected a list" },
        { "recipient of 19 bytes", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem,
            "e193cae06b2699ead972718a3245462c8013d487fe834558548814d1120d7b160000", SignatureItem)), "recipient must be 20 bytes" },
        { "asset is invalid UTF-8 (0xff)", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem,
            "e094cae06b2699ead972718a3245462c8013d487fe5981ff8814d1120d7b160000", SignatureItem)), "not canonical" },
        { "asset is overlong UTF-8 (0xc1 0x81 for 'A')", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem,
            "e394cae06b2699ead972718a3245462c8013d487fe5984c1815854" + "8814d1120d7b160000", SignatureItem)), "not canonical" },
        { "asset holds a UTF-16 surrogate (0xed 0xa0 0x80)", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem,
            "e294cae06b2699ead972718a3245462c8013d487fe5983eda080" + "8814d1120d7b160000", SignatureItem)), "not canonical" },
        { "signature of 64 bytes", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem, PayloadItem, "b840" + SignatureItem[4..^2])), "65 bytes" },
        { "recovery id 27", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem, PayloadItem, SignatureItem[..^2] + "1b")), "recovery id must be 0 or 1, got 27" },
        { "recovery id 2", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem, PayloadItem, SignatureItem[..^2] + "02")), "recovery id must be 0 or 1, got 2" },
        { "signature is a list", Hex.Encode(Wire(ChainIdItem, NonceItem, FeeItem, KindItem, PayloadItem, "c0")), "found a list" },
        { "outer item is a string", "0x83646f67", "expected a list" },
        { "list length with a leading zero byte", "0xf90072" + WireHex[6..], "leading zero" },
    };

    [Theory]
    [MemberData(nameof(NonCanonical))]
    public void NonCanonicalOrMalformed_IsRejected(string name, string wireHex, string message)
    {
        var e = Assert.ThrowsAny<FormatException>(() => Transaction.Decode(Hex.Decode(wireHex)));
        Assert.True(e.Message.Contains(message, StringComparison.Ordinal), $"{name}: message was \"{e.Message}\"");
    }

    [Fact]
    public void Size_Over16KiB_IsRejected()
    {
        Assert.Equal(16 * 1024, Transaction.MaxEncodedLength);
        // Grow the asset text (stateless checks are not part of decoding) until the wire form is exactly the limit.
        var length = Transaction.MaxEncodedLength - 200;
        Transaction tx;
        while (true)
        {
            tx = Transaction.Create(ChainId, Nonce, Fee, new TransferPayload(DevKeys.Account(1).Address, new string('A', length), 1), DevKeys.Account(0));
            if (tx.Encoded.Length >= Transaction.MaxEncodedLength) break;
            length += Transaction.MaxEncodedLength - tx.Encoded.Length;
        }
        Assert.Equal(Transaction.MaxEncodedLength, tx.Encoded.Length);
        Assert.Equal(tx.Hash, Transaction.Decode(tx.Encoded).Hash);

        var over = Transaction.Create(ChainId, Nonce, Fee, new TransferPayload(DevKeys.Account(1).Address, new string('A', length + 1), 1), DevKeys.Account(0));
        Assert.Equal(Transaction.MaxEncodedLength + 1, over.Encoded.Length);
        var e = Assert.Throws<RlpException>(() => Transaction.Decode(over.Encoded));
        Assert.Equal("transaction is 16385 bytes, more than the limit of 16384", e.Message);
    }

    [Fact]
    public void HighS_IsRefusedWhenRecoveringTheSender()
    {
        var low = Example().Signature;
        var s = new BigInteger(low.S, isUnsigned: true, isBigEndian: true);
        var highS = (N - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.Equal(32, highS.Length);
        var high = Signature.FromParts(low.R, highS, (byte)(low.RecoveryId ^ 1));
        Assert.False(high.IsLowS);

        // The high-S twin is well-formed on the wire (65 bytes, recovery id 0/1), so it decodes, but
        // it gets a different hash and is refused when the sender is recovered.
        var wire = Rlp.AppendToList(Hex.Decode(UnsignedHex), Rlp.EncodeBytes(high.ToBytes()));
        var tx = Transaction.Decode(wire);
        Assert.NotEqual(TxHashHex, Hex.Encode(tx.Hash));
        Assert.Equal(SigningHashHex, Hex.Encode(tx.SigningHash));
        Assert.False(tx.TryRecoverSender(out var sender, out var error));
        Assert.Equal(Address.Zero, sender);
        Assert.Contains("high", error);
        Assert.Contains("low-S", error);
    }

    [Fact]
    public void TamperedFields_RecoverADifferentSender()
    {
        // Changing the amount keeps the signature well-formed but makes it sign a different hash.
        var tampered = Wire(ChainIdItem, NonceItem, FeeItem, KindItem,
            "e294cae06b2699ead972718a3245462c8013d487fe59834558548814d1120d7b160001", SignatureItem);
        var tx = Transaction.Decode(tampered);
        if (tx.TryRecoverSender(out var sender, out _)) Assert.NotEqual(DevKeys.Account(0).Address, sender);

        // So does replaying it on another chain id.
        var otherChain = Wire("822548", NonceItem, FeeItem, KindItem, PayloadItem, SignatureItem);
        if (Transaction.Decode(otherChain).TryRecoverSender(out sender, out _)) Assert.NotEqual(DevKeys.Account(0).Address, sender);
    }

    /// <summary>
    /// tools/tx-example/build-tx.mjs builds the worked example with ethers v6 primitives only (an
    /// independent RLP, keccak and secp256k1 implementation). Its output must be the pinned wire bytes.
    /// </summary>
    [Fact]
    public async Task NodeEthersScript_BuildsThePinnedWireBytes()
    {
        var folder = TestPaths.InRepo("tools", "tx-example");
        var node = FindOnPath(OperatingSystem.IsWindows() ? "node.exe" : "node");
        Assert.True(node is not null,
            "node (Node.js) was not found on PATH; install Node.js 18+ and run `npm install` in tools/tx-example");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "ethers")),
            $"tools/tx-example/node_modules/ethers is missing: run `npm install` in {folder}");

        var start = new ProcessStartInfo(node!, "build-tx.mjs")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("node build-tx.mjs did not finish within 60 s");
        }
        var error = await stderr;
        Assert.True(process.ExitCode == 0, $"node build-tx.mjs exited with {process.ExitCode}: {error}");

        var output = (await stdout).Trim();
        Assert.Equal(WireHex, output);
        var tx = Transaction.Decode(Hex.Decode(output));
        Assert.Equal(TxHashHex, Hex.Encode(tx.Hash));
        Assert.True(tx.TryRecoverSender(out var sender, out var recoverError), recoverError);
        Assert.Equal(DevKeys.Account(0).Address, sender);
    }

    private static string? FindOnPath(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
