using ExCraft.Core.Crypto;

namespace ExCraft.Core.Genesis;

/// <summary>
/// Well-known keys of the local dev chain (genesis/dev.json funds them). Derived from fixed
/// phrases so every developer and test gets the same accounts; never use them on a real network.
/// </summary>
public static class DevKeys
{
    public const int AccountCount = 10;

    public static PrivateKey Account(int index) => FromPhrase($"excraft dev account {index}");

    public static PrivateKey Validator => FromPhrase("excraft dev validator 0");

    private static PrivateKey FromPhrase(string phrase) => new(Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(phrase)));
}
