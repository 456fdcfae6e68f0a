namespace ExCraft.Core.Keys;

/// <summary>The password does not open the keystore: the MAC over the ciphertext does not match.</summary>
public sealed class KeystorePasswordException : Exception
{
    public const string DefaultMessage = "wrong keystore password (MAC mismatch)";

    public KeystorePasswordException() : base(DefaultMessage) { }
    public KeystorePasswordException(string message) : base(message) { }
    public KeystorePasswordException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// The keystore text is not a usable Web3 Secret Storage v3 document: malformed JSON, a missing or
/// mistyped field, an unsupported version, cipher, KDF or PRF, or out-of-range parameters. The
/// message names the problem (and the field, as a dotted path such as "crypto.kdfparams.n").
/// </summary>
public sealed class KeystoreFormatException : FormatException
{
    public KeystoreFormatException(string message) : base(message) { }
    public KeystoreFormatException(string message, Exception inner) : base(message, inner) { }
}
