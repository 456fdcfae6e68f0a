using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Keys;

namespace ExCraft.Core.Tests;

public class KeystoreTests
{
    // ethereum/tests KeyStoreTests/basic_tests.json: "test1" (pbkdf2) and "test2" (scrypt).
    private const string Password = "testpassword";
    private const string ExpectedKey = "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";

    private const string Pbkdf2Vector = """
        {
            "crypto" : {
                "cipher" : "aes-128-ctr",
                "cipherparams" : { "iv" : "6087dab2f9fdbbfaddc31a909735c1e6" },
                "ciphertext" : "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
                "kdf" : "pbkdf2",
                "kdfparams" : {
                    "c" : 262144,
                    "dklen" : 32,
                    "prf" : "hmac-sha256",
                    "salt" : "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"
                },
                "mac" : "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"
            },
            "id" : "3198bc9c-6672-5ab3-d995-4942343ae5b6",
            "version" : 3
        }
        """;

    private const string ScryptVector = """
        {
            "crypto" : {
                "cipher" : "aes-128-ctr",
                "cipherparams" : { "iv" : "83dbcc02d8ccb40e466191a123791e0e" },
                "ciphertext" : "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
                "kdf" : "scrypt",
                "kdfparams" : {
                    "dklen" : 32,
                    "n" : 262144,
                    "r" : 1,
                    "p" : 8,
                    "salt" : "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"
                },
                "mac" : "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"
            },
            "id" : "3198bc9c-6672-5ab3-d995-4942343ae5b6",
            "version" : 3
        }
        """;

    private static readonly KeystoreKdfParams Light = new(N: 1024, R: 8, P: 1);

    [Fact]
    public void EthereumTests_Pbkdf2Vector_Decrypts()
    {
        Assert.Equal(ExpectedKey, Keystore.Decrypt(Pbkdf2Vector, Password).ToHex());
    }

    [Fact]
    public void EthereumTests_ScryptVector_Decrypts()
    {
        Assert.Equal(ExpectedKey, Keystore.Decrypt(ScryptVector, Password).ToHex());
    }

    [Fact]
    public void WrongPassword_IsPasswordException()
    {
        var e = Assert.Throws<KeystorePasswordException>(() => Keystore.Decrypt(Pbkdf2Vector, "testpassworD"));
        Assert.Equal("wrong keystore password (MAC mismatch)", e.Message);

        var json = Keystore.Encrypt(PrivateKey.Generate(), "right", Light);
        Assert.Throws<KeystorePasswordException>(() => Keystore.Decrypt(json, "wrong"));
        Assert.Throws<KeystorePasswordException>(() => Keystore.Decrypt(json, ""));
    }

    [Fact]
    public void EncryptDecrypt_RoundTrip()
    {
        var key = PrivateKey.Generate();
        var json = Keystore.Encrypt(key, "pässwörd ✓", Light);
        var back = Keystore.Decrypt(json, "pässwörd ✓");
        Assert.Equal(key.ToBytes(), back.ToBytes());
        Assert.Equal(key.Address, back.Address);
    }

    [Fact]
    public void Encrypt_WritesV3Layout()
    {
        var key = PrivateKey.FromHex(ExpectedKey);
        var json = Keystore.Encrypt(key, Password, Light);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;

        Assert.Equal(3, root.GetProperty("version").GetInt32());
        Assert.Equal(key.Address.ToHex()[2..], root.GetProperty("address").GetString());
        Assert.Matches("^[0-9a-f]{40}$", root.GetProperty("address").GetString());
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", root.GetProperty("id").GetString());

        var crypto = root.GetProperty("crypto");
        Assert.Equal("aes-128-ctr", crypto.GetProperty("cipher").GetString());
        Assert.Equal("scrypt", crypto.GetProperty("kdf").GetString());
        Assert.Matches("^[0-9a-f]{32}$", crypto.GetProperty("cipherparams").GetProperty("iv").GetString());
        Assert.Matches("^[0-9a-f]{64}$", crypto.GetProperty("ciphertext").GetString());
        Assert.Matches("^[0-9a-f]{64}$", crypto.GetProperty("mac").GetString());
        var kdf = crypto.GetProperty("kdfparams");
        Assert.Equal(32, kdf.GetProperty("dklen").GetInt32());
        Assert.Equal(1024, kdf.GetProperty("n").GetInt32());
        Assert.Equal(8, kdf.GetProperty("r").GetInt32());
        Assert.Equal(1, kdf.GetProperty("p").GetInt32());
        Assert.Matches("^[0-9a-f]{64}$", kdf.GetProperty("salt").GetString());

        // The MAC is keccak256(derivedKey[16..32] || ciphertext); recompute it independently.
        var derived = Org.BouncyCastle.Crypto.Generators.SCrypt.Generate(
            System.Text.Encoding.UTF8.GetBytes(Password), Hex.Decode(kdf.GetProperty("salt").GetString()!), 1024, 8, 1, 32);
        var ciphertext = Hex.Decode(crypto.GetProperty("ciphertext").GetString()!);
        Assert.Equal(crypto.GetProperty("mac").GetString(), Hex.Encode(Keccak256.HashConcat(derived[16..32], ciphertext), prefix: false));

        // Fresh salt, IV and id every time.
        using var again = JsonDocument.Parse(Keystore.Encrypt(key, Password, Light));
        Assert.NotEqual(kdf.GetProperty("salt").GetString(), again.RootElement.GetProperty("crypto").GetProperty("kdfparams").GetProperty("salt").GetString());
        Assert.NotEqual(root.GetProperty("id").GetString(), again.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public void Encrypt_DefaultParamsAreStandard()
    {
        var defaults = new KeystoreKdfParams();
        Assert.Equal(262144, defaults.N);
        Assert.Equal(8, defaults.R);
        Assert.Equal(1, defaults.P);
        Assert.Throws<ArgumentException>(() => Keystore.Encrypt(PrivateKey.Generate(), "x", new KeystoreKdfParams(N: 1000)));
        Assert.Throws<ArgumentException>(() => Keystore.Encrypt(PrivateKey.Generate(), "x", new KeystoreKdfParams(N: 1024, R: 0)));
    }

    [Fact]
    public void MalformedJson_IsFormatException()
    {
        var e = Assert.Throws<KeystoreFormatException>(() => Keystore.Decrypt("{ \"crypto\": ", Password));
        Assert.StartsWith("keystore is not valid JSON: ", e.Message);
        Assert.IsAssignableFrom<FormatException>(e);
        Assert.Equal("keystore must be a JSON object", Assert.Throws<KeystoreFormatException>(() => Keystore.Decrypt("[]", Password)).Message);
    }

    [Fact]
    public void UnsupportedCipher_IsFormatException()
    {
        var json = Mutate(Pbkdf2Vector, j => j["crypto"]!["cipher"] = "aes-128-cbc");
        var e = Assert.Throws<KeystoreFormatException>(() => Keystore.Decrypt(json, Password));
        Assert.Equal("unsupported cipher 'aes-128-cbc' (only aes-128-ctr is supported)", e.Message);
    }

    [Theory]
    [InlineData("version", "unsupported keystore version 2 (only version 3 is supported)")]
    [InlineData("kdf", "unsupported kdf 'argon2id' (supported: scrypt, pbkdf2)")]
    [InlineData("prf", "unsupported pbkdf2 prf 'hmac-sha512' (only hmac-sha256 is supported)")]
    [InlineData("missing-mac", "keystore is missing field 'crypto.mac'")]
    [InlineData("missing-crypto", "keystore is missing field 'crypto'")]
    [InlineData("missing-iv", "keystore is missing field 'crypto.cipherparams.iv'")]
    [InlineData("short-iv", "keystore field 'crypto.cipherparams.iv' must be 16 bytes, got 15")]
    [InlineData("bad-hex", "keystore field 'crypto.ciphertext' is not valid hex: invalid hex character 'z' at position 0")]
    [InlineData("string-c", "keystore field 'crypto.kdfparams.c' must be a 32-bit integer, got string \"262144\"")]
    [InlineData("huge-c", "keystore field 'crypto.kdfparams.c' must be between 1 and 10000000, got 2000000000")]
    [InlineData("dklen", "keystore field 'crypto.kdfparams.dklen' must be between 32 and 128, got 16")]
    public void BadFields_AreNamed(string change, string expected)
    {
        var json = Mutate(Pbkdf2Vector, j =>
        {
            var crypto = j["crypto"]!;
            switch (change)
            {
                case "version": j["version"] = 2; break;
                case "kdf": crypto["kdf"] = "argon2id"; break;
                case "prf": crypto["kdfparams"]!["prf"] = "hmac-sha512"; break;
                case "missing-mac": crypto.AsObject().Remove("mac"); break;
                case "missing-crypto": j.AsObject().Remove("crypto"); break;
                case "missing-iv": crypto["cipherparams"]!.AsObject().Remove("iv"); break;
                case "short-iv": crypto["cipherparams"]!["iv"] = "6087dab2f9fdbbfaddc31a909735c1"; break;
                case "bad-hex": crypto["ciphertext"] = "zz"; break;
                case "string-c": crypto["kdfparams"]!["c"] = "262144"; break;
                case "huge-c": crypto["kdfparams"]!["c"] = 2_000_000_000; break;
                case "dklen": crypto["kdfparams"]!["dklen"] = 16; break;
            }
        });
        Assert.Equal(expected, Assert.Throws<KeystoreFormatException>(() => Keystore.Decrypt(json, Password)).Message);
    }

    [Theory]
    [InlineData(1000, 8, 1, "keystore field 'crypto.kdfparams.n' must be a power of two greater than 1, got 1000")]
    [InlineData(1 << 30, 8, 1, "scrypt parameters n=1073741824, r=8 need more than 1024 MiB of memory")]
    [InlineData(1024, 1, 1 << 20, "scrypt parameters n=1024, r=1, p=1048576 are too expensive (n*r*p above 2^26)")]
    public void HostileScryptParams_AreRefused(int n, int r, int p, string expected)
    {
        var json = Mutate(ScryptVector, j =>
        {
            var kdf = j["crypto"]!["kdfparams"]!;
            kdf["n"] = n;
            kdf["r"] = r;
            kdf["p"] = p;
        });
        Assert.Equal(expected, Assert.Throws<KeystoreFormatException>(() => Keystore.Decrypt(json, Password)).Message);
    }

    [Fact]
    public void CapitalisedCryptoField_IsAccepted()
    {
        var key = PrivateKey.Generate();
        var json = Keystore.Encrypt(key, "pw", Light).Replace("\"crypto\"", "\"Crypto\"");
        Assert.Equal(key.ToBytes(), Keystore.Decrypt(json, "pw").ToBytes());
    }

    [Fact]
    public void AddressMismatch_IsFormatException()
    {
        var json = Mutate(Keystore.Encrypt(PrivateKey.Generate(), "pw", Light), j => j["address"] = "2c7536e3605d9c16a7a3d7b1898e529396a65c23");
        var e = Assert.Throws<KeystoreFormatException>(() => Keystore.Decrypt(json, "pw"));
        Assert.StartsWith("keystore 'address' 0x2c7536e3605d9c16a7a3d7b1898e529396a65c23 does not match", e.Message);
    }

    [Fact]
    public void AesCtr_MatchesNistVector()
    {
        // NIST SP 800-38A F.5.1 CTR-AES128.Encrypt, blocks 1 and 2.
        var key = Hex.Decode("2b7e151628aed2a6abf7158809cf4f3c");
        var iv = Hex.Decode("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        var plain = Hex.Decode("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        var output = new byte[plain.Length];
        AesCtr.Transform(key, iv, plain, output);
        Assert.Equal("0x874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff", Hex.Encode(output));

        // The counter carries across all 128 bits.
        var wrapIv = Hex.Decode("00000000000000000000ffffffffffffffff"[..32]);
        wrapIv[15] = 0xff;
        var twoBlocks = new byte[32];
        AesCtr.Transform(key, wrapIv, new byte[32], twoBlocks);
        var next = (byte[])wrapIv.Clone();
        for (var i = 15; i >= 0 && ++next[i] == 0; i--) { }
        var expectedSecond = new byte[16];
        AesCtr.Transform(key, next, new byte[16], expectedSecond);
        Assert.Equal(expectedSecond, twoBlocks[16..]);
    }

    private static string Mutate(string json, Action<JsonNode> change)
    {
        var node = JsonNode.Parse(json)!;
        change(node);
        return node.ToJsonString();
    }
}
