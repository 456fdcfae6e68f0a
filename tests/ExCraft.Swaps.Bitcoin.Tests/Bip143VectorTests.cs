using ExCraft.Swaps.Bitcoin;
using NBitcoin;

namespace ExCraft.Swaps.Bitcoin.Tests;

/// <summary>
/// The signing the HTLC uses (<see cref="WitnessV0Signer"/>) against the published BIP143
/// examples ("Native P2WPKH" and "P2SH-P2WPKH"): digest, signature and the signed transaction.
/// </summary>
public sealed class Bip143VectorTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    [Fact]
    public void Native_p2wpkh_example_gives_the_published_digest_signature_and_transaction()
    {
        var tx = Transaction.Parse("0100000002fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f0000000000eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac11000000", Network.Main);
        var key = new Key(Hex("619c335025c7f4012e556c2a58b2506e30b8511b53ade95ea316fd8c3286feb9"));
        Assert.Equal("025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee6357", key.PubKey.ToHex());
        // BIP143: the script code of a P2WPKH input is the P2PKH script of its key hash.
        var scriptCode = new Script(Hex("76a9141d0f172a0ecb48aee1be1f2687d2963ae33f71a188ac"));
        Assert.Equal(scriptCode, key.PubKey.WitHash.AsKeyId().ScriptPubKey);

        // BIP143 prints the digest in its byte order (uint256.ToString() would reverse it).
        var digest = WitnessV0Signer.SignatureHash(tx, 1, scriptCode, Money.Coins(6m));
        Assert.Equal("c37af31116d1b27caf68aae9e3ac82f1477929014d5b917657d0eb49478cb670", Convert.ToHexStringLower(digest.ToBytes()));

        var signature = WitnessV0Signer.Sign(key, tx, 1, scriptCode, Money.Coins(6m));
        Assert.Equal("304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a0220573a954c4518331561406f90300e8f3358f51928d43c212a8caed02de67eebee01", Convert.ToHexStringLower(signature.ToBytes()));

        // Input 0 is a legacy P2PK spend: its published scriptSig is taken as given.
        tx.Inputs[0].ScriptSig = new Script(Hex("4830450221008b9d1dc26ba6a9cb62127b02742fa9d754cd3bebf337f7a55d114c8e5cdd30be022040529b194ba3f9281a99f2b1c0a19c0489bc22ede944ccf4ecbab4cc618ef3ed01"));
        tx.Inputs[1].WitScript = new WitScript([signature.ToBytes(), key.PubKey.ToBytes()], true);
        Assert.Equal("01000000000102fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f00000000494830450221008b9d1dc26ba6a9cb62127b02742fa9d754cd3bebf337f7a55d114c8e5cdd30be022040529b194ba3f9281a99f2b1c0a19c0489bc22ede944ccf4ecbab4cc618ef3ed01eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac000247304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a0220573a954c4518331561406f90300e8f3358f51928d43c212a8caed02de67eebee0121025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee635711000000", tx.ToHex());
    }

    [Fact]
    public void P2sh_p2wpkh_example_gives_the_published_digest_signature_and_transaction()
    {
        var tx = Transaction.Parse("0100000001db6b1b20aa0fd7b23880be2ecbd4a98130974cf4748fb66092ac4d3ceb1a54770100000000feffffff02b8b4eb0b000000001976a914a457b684d7f0d539a46a45bbc043f35b59d0d96388ac0008af2f000000001976a914fd270b1ee6abcaea97fea7ad0402e8bd8ad6d77c88ac92040000", Network.Main);
        var key = new Key(Hex("eb696a065ef48a2192da5b28b694f87544b30fae8327c4510137a922f32c6dcf"));
        Assert.Equal("03ad1d8e89212f0b92c74d23bb710c00662ad1470198ac48c43f7d6f93a2a26873", key.PubKey.ToHex());
        var redeemScript = key.PubKey.WitHash.ScriptPubKey;
        Assert.Equal("001479091972186c449eb1ded22b78e40d009bdf0089", Convert.ToHexStringLower(redeemScript.ToBytes()));
        Assert.Equal("a9144733f37cf4db86fbc2efed2500b4f4e49f31202387", Convert.ToHexStringLower(redeemScript.Hash.ScriptPubKey.ToBytes()));
        var scriptCode = key.PubKey.WitHash.AsKeyId().ScriptPubKey;

        // BIP143 prints the digest in its byte order (uint256.ToString() would reverse it).
        var digest = WitnessV0Signer.SignatureHash(tx, 0, scriptCode, Money.Coins(10m));
        Assert.Equal("64f3b0f4dd2bb3aa1ce8566d220cc74dda9df97d8490cc81d89d735c92e59fb6", Convert.ToHexStringLower(digest.ToBytes()));

        var signature = WitnessV0Signer.Sign(key, tx, 0, scriptCode, Money.Coins(10m));
        Assert.Equal("3044022047ac8e878352d3ebbde1c94ce3a10d057c24175747116f8288e5d794d12d482f0220217f36a485cae903c713331d877c1f64677e3622ad4010726870540656fe9dcb01", Convert.ToHexStringLower(signature.ToBytes()));

        tx.Inputs[0].ScriptSig = new Script(Op.GetPushOp(redeemScript.ToBytes()));
        tx.Inputs[0].WitScript = new WitScript([signature.ToBytes(), key.PubKey.ToBytes()], true);
        Assert.Equal("01000000000101db6b1b20aa0fd7b23880be2ecbd4a98130974cf4748fb66092ac4d3ceb1a5477010000001716001479091972186c449eb1ded22b78e40d009bdf0089feffffff02b8b4eb0b000000001976a914a457b684d7f0d539a46a45bbc043f35b59d0d96388ac0008af2f000000001976a914fd270b1ee6abcaea97fea7ad0402e8bd8ad6d77c88ac02473044022047ac8e878352d3ebbde1c94ce3a10d057c24175747116f8288e5d794d12d482f0220217f36a485cae903c713331d877c1f64677e3622ad4010726870540656fe9dcb012103ad1d8e89212f0b92c74d23bb710c00662ad1470198ac48c43f7d6f93a2a2687392040000", tx.ToHex());
    }

    [Fact]
    public void The_digest_commits_to_the_spent_amount()
    {
        var tx = Transaction.Parse("0100000001db6b1b20aa0fd7b23880be2ecbd4a98130974cf4748fb66092ac4d3ceb1a54770100000000feffffff02b8b4eb0b000000001976a914a457b684d7f0d539a46a45bbc043f35b59d0d96388ac0008af2f000000001976a914fd270b1ee6abcaea97fea7ad0402e8bd8ad6d77c88ac92040000", Network.Main);
        var scriptCode = new Script(Hex("76a91479091972186c449eb1ded22b78e40d009bdf008988ac"));
        Assert.NotEqual(WitnessV0Signer.SignatureHash(tx, 0, scriptCode, Money.Coins(10m)), WitnessV0Signer.SignatureHash(tx, 0, scriptCode, Money.Coins(10m) - Money.Satoshis(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => WitnessV0Signer.SignatureHash(tx, 1, scriptCode, Money.Coins(10m)));
    }
}
