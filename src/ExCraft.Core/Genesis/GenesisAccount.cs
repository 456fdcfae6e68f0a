namespace ExCraft.Core.Genesis;

/// <summary>An account funded at genesis: balances by asset symbol, in base units.</summary>
public sealed record GenesisAccount(Address Address, IReadOnlyList<KeyValuePair<string, UInt128>> Balances, bool Registered);

/// <summary>An asset that exists at genesis (EXT at least).</summary>
public sealed record GenesisAsset(string Symbol, byte Decimals, Address Issuer);

/// <summary>A validator of the genesis set: its address, compressed secp256k1 public key and power.</summary>
public sealed record GenesisValidator(Address Address, byte[] PublicKey, ulong Power, string Moniker);
