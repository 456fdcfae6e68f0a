using System.Text.Json;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Core.Genesis;

/// <summary>
/// The genesis file (genesis/*.json): chain identity and parameters, then a section per module
/// ("modules": {"accounts": assets and funded accounts, "staking": parameters and the validator set}). Its hash (keccak256 of the canonical RLP below, so JSON whitespace and key order
/// do not matter) is part of the chain's identity: a data directory made for one genesis refuses
/// to start with another.
/// </summary>
public sealed record GenesisConfig(
    ulong ChainId,
    string ChainName,
    ulong GenesisTimeMs,
    ChainParameters Parameters,
    StakingParameters Staking,
    IReadOnlyList<GenesisAsset> Assets,
    IReadOnlyList<GenesisAccount> Accounts,
    IReadOnlyList<GenesisValidator> Validators)
{
    /// <summary>The emission section (first cycle, pinned table hash); mainnet values unless the file sets them.</summary>
    public EmissionParameters Emission { get; init; } = EmissionParameters.Mainnet;

    /// <summary>The markets module's section (authority and genesis markets); none unless the file has one.</summary>
    public MarketsGenesis Markets { get; init; } = MarketsGenesis.None;

    /// <summary>The kyc module's section (the KYC authority keys); none unless the file has one.</summary>
    public KycGenesis Kyc { get; init; } = KycGenesis.None;

    /// <summary>The PoE module's parameters (reference asset, wash cap); mainnet values unless the file sets them.</summary>
    public PoeParameters Poe { get; init; } = PoeParameters.Mainnet;

    /// <summary>The pools module's parameters; mainnet values unless the file sets them.</summary>
    public PoolsParameters Pools { get; init; } = PoolsParameters.Mainnet;

    /// <summary>rlp([chain_id, chain_name, genesis_time_ms, params, [[module, section]...]]), sections in <see cref="GenesisSections"/> order.</summary>
    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeUInt(ChainId), Rlp.EncodeString(ChainName), Rlp.EncodeUInt(GenesisTimeMs),
        Rlp.EncodeList(Rlp.EncodeUInt(Parameters.BlockIntervalMs), Rlp.EncodeUInt(Parameters.MinFee),
            Rlp.EncodeUInt((ulong)Parameters.MaxBlockTransactions), Rlp.EncodeUInt((ulong)Parameters.MaxBlockBytes),
            Rlp.EncodeUInt((ulong)Parameters.MaxTransactionBytes)),
        GenesisSections.Encode(this));

    public byte[] Hash() => Keccak256.Hash(Encode());

    public static GenesisConfig Load(string path)
    {
        if (!File.Exists(path)) throw new GenesisException($"genesis file not found: {path}");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses genesis JSON; every problem is a GenesisException naming the field.</summary>
    public static GenesisConfig Parse(string json, string source = "genesis")
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return GenesisJson.Read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new GenesisException($"{source}: malformed JSON: {e.Message}");
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException or OverflowException or ArgumentException)
        {
            throw new GenesisException($"{source}: {e.Message}");
        }
    }

    /// <summary>Checks consistency: assets known, symbols unique and valid, at least one validator.</summary>
    public void Validate()
    {
        var symbols = new HashSet<string>();
        foreach (var asset in Assets)
        {
            if (!AssetSymbol.IsValid(asset.Symbol, out var error)) throw new GenesisException(error);
            if (!symbols.Add(asset.Symbol)) throw new GenesisException($"asset {asset.Symbol} is listed twice");
        }
        if (!symbols.Contains(AssetSymbol.Native)) throw new GenesisException("genesis must define the native asset EXT");
        var addresses = new HashSet<Address>();
        foreach (var account in Accounts)
        {
            if (!addresses.Add(account.Address)) throw new GenesisException($"account {account.Address} is listed twice");
            foreach (var balance in account.Balances)
            {
                if (!symbols.Contains(balance.Key)) throw new GenesisException($"account {account.Address} holds unknown asset {balance.Key}");
            }
        }
        Staking.Validate();
        Emission.Validate();
        Poe.Validate(symbols);
        Pools.Validate();
        if (Validators.Count == 0) throw new GenesisException("genesis needs at least one validator");
        if (Validators.Select(v => v.Address).Distinct().Count() != Validators.Count) throw new GenesisException("a validator is listed twice");
        foreach (var validator in Validators)
        {
            if (validator.SelfBond < Staking.MinSelfBond) throw new GenesisException($"validator {validator.Address} self-bond {validator.SelfBond} is below the minimum {Staking.MinSelfBond}");
            if (!new PublicKey(validator.PublicKey).Address.Equals(validator.Address))
                throw new GenesisException($"validator {validator.Address}: public key does not match the address");
        }
    }
}

public sealed class GenesisException(string message) : Exception(message);
