namespace ExCraft.Core.Genesis;

/// <summary>An account funded at genesis: balances by asset symbol, in base units.</summary>
public sealed record GenesisAccount(Address Address, IReadOnlyList<KeyValuePair<string, UInt128>> Balances, bool Registered);

/// <summary>An asset that exists at genesis (EXT at least).</summary>
public sealed record GenesisAsset(string Symbol, byte Decimals, Address Issuer);

/// <summary>
/// A validator of the genesis set: its operator address, the compressed secp256k1 public key it
/// signs consensus messages with (its address is the operator's), and the EXT it has bonded from
/// genesis (created bonded, part of the supply).
/// </summary>
public sealed record GenesisValidator(Address Address, byte[] PublicKey, UInt128 SelfBond, string Moniker);
