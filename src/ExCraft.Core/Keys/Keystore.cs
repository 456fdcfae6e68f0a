using System.Security.Cryptography;
using System.Text.Json;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Keys;

/// <summary>
/// Password-protected key files in the Web3 Secret Storage Definition, version 3 (the format of
/// geth, Parity/OpenEthereum, MetaMask exports and MyEtherWallet), so Ethereum keystores import as-is.
/// <para>
/// derivedKey = KDF(password as UTF-8, salt) with dklen 32; ciphertext = AES-128-CTR(key =
/// derivedKey[0..16], iv, private key); mac = keccak256(derivedKey[16..32] || ciphertext).
/// Encrypt writes scrypt; Decrypt reads scrypt and pbkdf2 (prf hmac-sha256).
/// </para>
/// </summary>
public static class Keystore
{
    private const int DerivedKeyLength = 32;
    private const int SaltLength = 32;
    private const string Cipher = "aes-128-ctr";

    // Limits on parameters read from a file, so a hostile keystore cannot demand unbounded memory or time.
    private const long MaxScryptMemory = 1L << 30;        // 128 * N * r bytes
    private const long MaxScryptWork = 1L << 26;          // N * r * p
    private const int MaxPbkdf2Iterations = 10_000_000;
    private const int MaxDerivedKeyLength = 128;

    /// <summary>Encrypts a key into keystore v3 JSON using scrypt (default N = 262144, r = 8, p = 1), random salt, IV and UUID.</summary>
    public static string Encrypt(PrivateKey key, string password, KeystoreKdfParams? kdf = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(password);
        kdf ??= new KeystoreKdfParams();
        kdf.Validate();

        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var iv = RandomNumberGenerator.GetBytes(AesCtr.BlockSize);
        var passwordBytes = System.Text.Encoding.UTF8.GetBytes(password);
        var derived = Scrypt.Derive(passwordBytes, salt, kdf.N, kdf.R, kdf.P, DerivedKeyLength);
        var secret = key.ToBytes();
        var ciphertext = new byte[secret.Length];
        byte[] mac;
        try
        {
            AesCtr.Transform(derived.AsSpan(0, 16), iv, secret, ciphertext);
            mac = Mac(derived, ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(derived);
            CryptographicOperations.ZeroMemory(passwordBytes);
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("address", key.Address.ToHex()[2..]);
            json.WriteStartObject("crypto");
            json.WriteString("cipher", Cipher);
            json.WriteString("ciphertext", Hex.Encode(ciphertext, prefix: false));
            json.WriteStartObject("cipherparams");
            json.WriteString("iv", Hex.Encode(iv, prefix: false));
            json.WriteEndObject();
            json.WriteString("kdf", "scrypt");
            json.WriteStartObject("kdfparams");
            json.WriteNumber("dklen", DerivedKeyLength);
            json.WriteNumber("n", kdf.N);
            json.WriteNumber("p", kdf.P);
            json.WriteNumber("r", kdf.R);
            json.WriteString("salt", Hex.Encode(salt, prefix: false));
            json.WriteEndObject();
            json.WriteString("mac", Hex.Encode(mac, prefix: false));
            json.WriteEndObject();
            json.WriteString("id", Guid.NewGuid().ToString("D"));
            json.WriteNumber("version", 3);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// Opens a keystore v3 document. Throws <see cref="KeystorePasswordException"/> for a wrong password
    /// and <see cref="KeystoreFormatException"/> for anything wrong with the document itself.
    /// </summary>
    public static PrivateKey Decrypt(string json, string password)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(password);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new KeystoreFormatException($"keystore is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new KeystoreFormatException("keystore must be a JSON object");

            var version = GetInt(root, "version", "version");
            if (version != 3) throw new KeystoreFormatException($"unsupported keystore version {version} (only version 3 is supported)");

            var crypto = GetObject(root, "crypto", "crypto");
            var cipher = GetString(crypto, "cipher", "crypto.cipher");
            if (!string.Equals(cipher, Cipher, StringComparison.Ordinal))
                throw new KeystoreFormatException($"unsupported cipher '{cipher}' (only {Cipher} is supported)");

            var cipherParams = GetObject(crypto, "cipherparams", "crypto.cipherparams");
            var iv = GetHex(cipherParams, "iv", "crypto.cipherparams.iv", AesCtr.BlockSize);
            var ciphertext = GetHex(crypto, "ciphertext", "crypto.ciphertext", PrivateKey.Length);
            var mac = GetHex(crypto, "mac", "crypto.mac", Keccak256.Length);

            var derived = DeriveKey(crypto, password);
            try
            {
                if (!CryptographicOperations.FixedTimeEquals(Mac(derived, ciphertext), mac))
                    throw new KeystorePasswordException();

                var secret = new byte[ciphertext.Length];
                try
                {
                    AesCtr.Transform(derived.AsSpan(0, 16), iv, ciphertext, secret);
                    PrivateKey key;
                    try
                    {
                        key = new PrivateKey(secret);
                    }
                    catch (ArgumentException e)
                    {
                        throw new KeystoreFormatException($"keystore holds an invalid secp256k1 private key: {e.Message}", e);
                    }
                    CheckAddress(root, key);
                    return key;
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(secret);
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(derived);
            }
        }
    }

    private static byte[] DeriveKey(JsonElement crypto, string password)
    {
        var kdf = GetString(crypto, "kdf", "crypto.kdf");
        var p = GetObject(crypto, "kdfparams", "crypto.kdfparams");
        var dklen = GetInt(p, "dklen", "crypto.kdfparams.dklen");
        if (dklen < DerivedKeyLength || dklen > MaxDerivedKeyLength)
            throw new KeystoreFormatException($"keystore field 'crypto.kdfparams.dklen' must be between {DerivedKeyLength} and {MaxDerivedKeyLength}, got {dklen}");
        var salt = GetHex(p, "salt", "crypto.kdfparams.salt", expectedLength: null);
        var passwordBytes = System.Text.Encoding.UTF8.GetBytes(password);
        try
        {
            switch (kdf)
            {
                case "scrypt":
                {
                    var n = GetInt(p, "n", "crypto.kdfparams.n");
                    var r = GetInt(p, "r", "crypto.kdfparams.r");
                    var par = GetInt(p, "p", "crypto.kdfparams.p");
                    if (n < 2 || (n & (n - 1)) != 0)
                        throw new KeystoreFormatException($"keystore field 'crypto.kdfparams.n' must be a power of two greater than 1, got {n}");
                    if (r < 1) throw new KeystoreFormatException($"keystore field 'crypto.kdfparams.r' must be at least 1, got {r}");
                    if (par < 1) throw new KeystoreFormatException($"keystore field 'crypto.kdfparams.p' must be at least 1, got {par}");
                    if (128L * n * r > MaxScryptMemory)
                        throw new KeystoreFormatException($"scrypt parameters n={n}, r={r} need more than {MaxScryptMemory >> 20} MiB of memory");
                    if ((long)n * r * par > MaxScryptWork)
                        throw new KeystoreFormatException($"scrypt parameters n={n}, r={r}, p={par} are too expensive (n*r*p above 2^26)");
                    return Scrypt.Derive(passwordBytes, salt, n, r, par, dklen);
                }
                case "pbkdf2":
                {
                    var prf = GetString(p, "prf", "crypto.kdfparams.prf");
                    if (prf != "hmac-sha256")
                        throw new KeystoreFormatException($"unsupported pbkdf2 prf '{prf}' (only hmac-sha256 is supported)");
                    var c = GetInt(p, "c", "crypto.kdfparams.c");
                    if (c < 1 || c > MaxPbkdf2Iterations)
                        throw new KeystoreFormatException($"keystore field 'crypto.kdfparams.c' must be between 1 and {MaxPbkdf2Iterations}, got {c}");
                    return Rfc2898DeriveBytes.Pbkdf2(passwordBytes, salt, c, HashAlgorithmName.SHA256, dklen);
                }
                default:
                    throw new KeystoreFormatException($"unsupported kdf '{kdf}' (supported: scrypt, pbkdf2)");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    /// <summary>keccak256(derivedKey[16..32] || ciphertext).</summary>
    private static byte[] Mac(byte[] derived, byte[] ciphertext)
    {
        var input = new byte[16 + ciphertext.Length];
        derived.AsSpan(16, 16).CopyTo(input);
        ciphertext.CopyTo(input, 16);
        var mac = Keccak256.Hash(input);
        CryptographicOperations.ZeroMemory(input);
        return mac;
    }

    /// <summary>The optional "address" field, when it is a readable 20-byte hex value, must belong to the key.</summary>
    private static void CheckAddress(JsonElement root, PrivateKey key)
    {
        if (!TryGetProperty(root, "address", out var element) || element.ValueKind != JsonValueKind.String) return;
        if (!Hex.TryDecode(element.GetString(), out var bytes, out _) || bytes.Length != Address.Length) return;
        var stated = new Address(bytes);
        if (stated != key.Address)
            throw new KeystoreFormatException(
                $"keystore 'address' {stated.ToHex()} does not match the decrypted key's address {key.Address.ToHex()}");
    }

    // Property names match exactly first, then case-insensitively (as Go's encoding/json does; some
    // wallets write "Crypto").
    private static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value)) return true;
        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    private static JsonElement Get(JsonElement obj, string name, string path)
    {
        if (!TryGetProperty(obj, name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw new KeystoreFormatException($"keystore is missing field '{path}'");
        return value;
    }

    private static JsonElement GetObject(JsonElement obj, string name, string path)
    {
        var value = Get(obj, name, path);
        if (value.ValueKind != JsonValueKind.Object)
            throw new KeystoreFormatException($"keystore field '{path}' must be an object, got {Describe(value)}");
        return value;
    }

    private static string GetString(JsonElement obj, string name, string path)
    {
        var value = Get(obj, name, path);
        if (value.ValueKind != JsonValueKind.String)
            throw new KeystoreFormatException($"keystore field '{path}' must be a string, got {Describe(value)}");
        return value.GetString()!;
    }

    private static int GetInt(JsonElement obj, string name, string path)
    {
        var value = Get(obj, name, path);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
            throw new KeystoreFormatException($"keystore field '{path}' must be a 32-bit integer, got {Describe(value)}");
        return number;
    }

    private static byte[] GetHex(JsonElement obj, string name, string path, int? expectedLength)
    {
        var text = GetString(obj, name, path);
        if (!Hex.TryDecode(text, out var bytes, out var error))
            throw new KeystoreFormatException($"keystore field '{path}' is not valid hex: {error}");
        if (expectedLength is { } length && bytes.Length != length)
            throw new KeystoreFormatException($"keystore field '{path}' must be {length} bytes, got {bytes.Length}");
        return bytes;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"string \"{value.GetString()}\"",
        JsonValueKind.Number => $"number {value.GetRawText()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
