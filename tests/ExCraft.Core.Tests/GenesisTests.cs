using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;

namespace ExCraft.Core.Tests;

public class GenesisTests
{
    private static string DevPath => TestPaths.InRepo("genesis", "dev.json");
    private static string TestnetPath => TestPaths.InRepo("genesis", "testnet.json");

    private static JsonObject DevJson() => JsonNode.Parse(File.ReadAllText(DevPath))!.AsObject();

    private static JsonObject Section(JsonObject json, string module) => json["modules"]![module]!.AsObject();

    private static JsonObject Staking(JsonObject json) => Section(json, "staking");

    private static JsonArray Accounts(JsonObject json) => Section(json, "accounts")["accounts"]!.AsArray();

    private static JsonArray Assets(JsonObject json) => Section(json, "accounts")["assets"]!.AsArray();

    private static JsonArray Validators(JsonObject json) => Staking(json)["validators"]!.AsArray();

    private static GenesisConfig ParseNode(JsonNode node) => GenesisConfig.Parse(node.ToJsonString());

    [Fact]
    public void DevGenesis_LoadsAndValidates()
    {
        var genesis = GenesisConfig.Load(DevPath);
        genesis.Validate();
        Assert.Equal(9545UL, genesis.ChainId);
        Assert.Equal("excraft-dev", genesis.ChainName);
        Assert.Equal((ulong)new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), genesis.GenesisTimeMs);
        Assert.Equal(500UL, genesis.Parameters.BlockIntervalMs);
        Assert.Equal(Amount.Parse("0.00001"), genesis.Parameters.MinFee);
        Assert.Equal(16384, genesis.Parameters.MaxTransactionBytes);
        Assert.Equal(["EXT", "ORE"], genesis.Assets.Select(a => a.Symbol)); // ORE for the genesis ORE/EXT market
        var ext = genesis.Assets[0];
        Assert.Equal("EXT", ext.Symbol);
        Assert.Equal(18, ext.Decimals);
        Assert.Equal(32, genesis.Hash().Length);
    }

    [Fact]
    public void DevGenesis_FundsTheTenDevAccounts_WithOneMillionExtEach()
    {
        var genesis = GenesisConfig.Load(DevPath);
        var million = Amount.FromWhole(1_000_000);
        Assert.Equal(Amount.Parse("1000000"), million);

        // The dev accounts come first, in order, each holding exactly 1,000,000 EXT; the first four
        // also hold 100,000 ORE, so the genesis ORE/EXT market can trade out of the box.
        for (var i = 0; i < DevKeys.AccountCount; i++)
        {
            var account = genesis.Accounts[i];
            Assert.Equal(DevKeys.Account(i).Address, account.Address);
            KeyValuePair<string, UInt128>[] expected = i < 4 ? [new("EXT", million), new("ORE", Amount.FromWhole(100_000, 6))] : [new("EXT", million)];
            Assert.Equal(expected, account.Balances);
            Assert.False(account.Registered);
        }

        // dev.json also gives the dev validator 10 EXT (for fees); nothing else is funded.
        Assert.Equal(DevKeys.AccountCount + 1, genesis.Accounts.Count);
        var validatorAccount = genesis.Accounts[DevKeys.AccountCount];
        Assert.Equal(DevKeys.Validator.Address, validatorAccount.Address);
        Assert.Equal(Amount.FromWhole(10), Assert.Single(validatorAccount.Balances).Value);
    }

    [Fact]
    public void DevGenesis_ValidatorIsTheDevValidator()
    {
        var genesis = GenesisConfig.Load(DevPath);
        var validator = Assert.Single(genesis.Validators);
        Assert.Equal(DevKeys.Validator.Address, validator.Address);
        Assert.Equal(DevKeys.Validator.PublicKey.Compressed, validator.PublicKey);
        Assert.Equal("0x02a23d28d718a456f990cc222defd3824fb71f5759786357c503913f89fcae7236", Hex.Encode(validator.PublicKey));
        Assert.Equal(Amount.FromWhole(1000), validator.SelfBond);
        Assert.Equal("dev-validator", validator.Moniker);
    }

    [Fact]
    public void TestnetGenesis_LoadsAndValidates()
    {
        var genesis = GenesisConfig.Load(TestnetPath);
        genesis.Validate();
        Assert.Equal(9546UL, genesis.ChainId);
        Assert.Equal("excraft-testnet", genesis.ChainName);
        var validator = Assert.Single(genesis.Validators);
        Assert.Equal(new PublicKey(validator.PublicKey).Address, validator.Address);
        var account = Assert.Single(genesis.Accounts);
        Assert.True(account.Registered);
        Assert.Equal(Amount.FromWhole(100_000_000), Assert.Single(account.Balances).Value);
        Assert.NotEqual(GenesisConfig.Load(DevPath).Hash(), genesis.Hash());
    }

    [Fact]
    public void Hash_IgnoresWhitespaceAndKeyOrder()
    {
        var original = GenesisConfig.Load(DevPath).Hash();

        var compact = DevJson().ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        Assert.Equal(original, GenesisConfig.Parse(compact).Hash());

        var reordered = Reverse(DevJson()).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Assert.NotEqual(File.ReadAllText(DevPath), reordered);
        Assert.StartsWith("{\n  \"modules\"", reordered.ReplaceLineEndings("\n"));
        Assert.Equal(original, GenesisConfig.Parse(reordered).Hash());

        var spaced = File.ReadAllText(DevPath).Replace("\n", "\n\t  \r\n");
        Assert.Equal(original, GenesisConfig.Parse(spaced).Hash());
    }

    [Fact]
    public void Hash_IgnoresBalanceKeyOrder()
    {
        var json = DevJson();
        Assets(json).Add(new JsonObject { ["symbol"] = "SLVR", ["decimals"] = 6 });
        var balances = Accounts(json)[0]!["balances"]!.AsObject();
        balances.Remove("ORE");
        balances["SLVR"] = "2.5";
        var goldLast = ParseNode(json);
        balances.Remove("EXT");
        balances["EXT"] = "1000000";
        Assert.Equal("SLVR", balances.First().Key);
        var goldFirst = ParseNode(json);
        Assert.Equal(goldLast.Hash(), goldFirst.Hash());
        Assert.Equal(new UInt128(0, 2_500_000), goldFirst.Accounts[0].Balances.Single(b => b.Key == "SLVR").Value);
    }

    [Fact]
    public void Hash_ChangesWhenABalanceChanges()
    {
        var original = GenesisConfig.Load(DevPath).Hash();
        var json = DevJson();
        Accounts(json)[3]!["balances"]!["EXT"] = "1000000.000000000000000001";
        Assert.NotEqual(original, ParseNode(json).Hash());
    }

    [Theory]
    [InlineData("chain_id")]
    [InlineData("chain_name")]
    [InlineData("genesis_time")]
    [InlineData("min_fee")]
    [InlineData("moniker")]
    [InlineData("registered")]
    [InlineData("account order")]
    public void Hash_ChangesWithEveryPart(string part)
    {
        var original = GenesisConfig.Load(DevPath).Hash();
        var json = DevJson();
        switch (part)
        {
            case "chain_id": json["chain_id"] = 9547; break;
            case "chain_name": json["chain_name"] = "excraft-dev2"; break;
            case "genesis_time": json["genesis_time"] = "2026-01-01T00:00:01Z"; break;
            case "min_fee": json["params"]!["min_fee"] = "0.00002"; break;
            case "moniker": Validators(json)![0]!["moniker"] = "other"; break;
            case "registered": Accounts(json)[0]!["registered"] = true; break;
            case "account order":
                var accounts = Accounts(json);
                var first = accounts[0]!;
                accounts.RemoveAt(0);
                accounts.Add(first);
                break;
        }
        Assert.NotEqual(original, ParseNode(json).Hash());
    }

    [Theory]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("{\"chain_id\": 9545,}")]
    [InlineData("not json")]
    public void MalformedJson_IsAGenesisException(string text)
    {
        var e = Assert.Throws<GenesisException>(() => GenesisConfig.Parse(text, "dev.json"));
        Assert.StartsWith("dev.json: malformed JSON:", e.Message);
    }

    [Fact]
    public void UnknownAssetInBalances_IsAGenesisException()
    {
        var json = DevJson();
        Accounts(json)[2]!["balances"]!["FOO"] = "1";
        var e = Assert.Throws<GenesisException>(() => ParseNode(json));
        Assert.Equal("genesis: unknown asset FOO in balances", e.Message);
    }

    [Fact]
    public void ValidatorKeyNotMatchingAddress_IsAGenesisException()
    {
        var json = DevJson();
        Validators(json)![0]!["public_key"] = Hex.Encode(DevKeys.Account(0).PublicKey.Compressed);
        var e = Assert.Throws<GenesisException>(() => ParseNode(json));
        // Validate() raises its own GenesisException (without the "source: " prefix that reading errors get).
        Assert.Equal($"validator {DevKeys.Validator.Address}: public key does not match the address", e.Message);
    }

    [Fact]
    public void ValidatorKeyThatIsNotAPoint_IsAGenesisException()
    {
        var json = DevJson();
        Validators(json)![0]!["public_key"] = "0x02" + new string('f', 64); // x >= p: not on the curve
        var e = Assert.Throws<GenesisException>(() => ParseNode(json));
        Assert.StartsWith("genesis: ", e.Message);
    }

    [Fact]
    public void InvalidAmount_IsAGenesisException()
    {
        var json = DevJson();
        Accounts(json)[0]!["balances"]!["EXT"] = "1.0000000000000000001";
        var e = Assert.Throws<GenesisException>(() => ParseNode(json));
        Assert.Contains("has 19 decimal places; this asset has 18", e.Message);
    }

    [Fact]
    public void InvalidAddress_IsAGenesisException()
    {
        var json = DevJson();
        Accounts(json)[0]!["address"] = "ext19x7zums78lts3wd6y629eycn6a8dv8tckzsrwq"; // last character mistyped
        var e = Assert.Throws<GenesisException>(() => ParseNode(json));
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void ConsistencyRules_AreGenesisExceptions()
    {
        var noValidators = DevJson();
        Staking(noValidators)["validators"] = new JsonArray();
        Assert.Equal("genesis needs at least one validator", Assert.Throws<GenesisException>(() => ParseNode(noValidators)).Message.Replace("genesis: ", ""));

        var twice = DevJson();
        Accounts(twice).Add(Accounts(twice)[0]!.DeepClone());
        Assert.Contains("is listed twice", Assert.Throws<GenesisException>(() => ParseNode(twice)).Message);

        var noExt = DevJson();
        Assets(noExt)[0]!["symbol"] = "EXX";
        Section(noExt, "accounts")["accounts"] = new JsonArray();
        noExt["modules"]!.AsObject().Remove("markets"); // its market names EXT
        Assert.Contains("must define the native asset EXT", Assert.Throws<GenesisException>(() => ParseNode(noExt)).Message);

        var lowBond = DevJson();
        Validators(lowBond)![0]!["self_bond"] = "0.5";
        Assert.Contains("is below the minimum", Assert.Throws<GenesisException>(() => ParseNode(lowBond)).Message);

        var badSymbol = DevJson();
        Assets(badSymbol).Add(new JsonObject { ["symbol"] = "gold", ["decimals"] = 6 });
        Assert.Contains("asset symbol must be", Assert.Throws<GenesisException>(() => ParseNode(badSymbol)).Message);
    }

    [Fact]
    public void UnknownModuleSection_IsAGenesisException()
    {
        var json = DevJson();
        json["modules"]!["bridge"] = new JsonObject();
        Assert.Equal("genesis: unknown module section \"bridge\" (known: accounts, kyc, markets, poe, pools, staking, emission)", Assert.Throws<GenesisException>(() => ParseNode(json)).Message);
    }

    [Fact]
    public void AbsentStakingSection_MeansNoValidators_AndIsRefused()
    {
        var json = DevJson();
        json["modules"]!.AsObject().Remove("staking");
        Assert.Contains("at least one validator", Assert.Throws<GenesisException>(() => ParseNode(json)).Message);
    }

    [Fact]
    public void Written_genesis_reads_back_to_the_same_hash()
    {
        foreach (var path in new[] { DevPath, TestnetPath })
        {
            var genesis = GenesisConfig.Load(path);
            var written = GenesisJson.Write(genesis).ToJsonString();
            Assert.Equal(genesis.Hash(), GenesisConfig.Parse(written).Hash());
        }
    }

    [Fact]
    public void Hash_CoversModuleSectionsByName()
    {
        // The staking section's parameters are part of the hash, and a section's content cannot pass for another's.
        var json = DevJson();
        Staking(json)["params"]!["max_validators"] = 100;
        Assert.NotEqual(GenesisConfig.Load(DevPath).Hash(), ParseNode(json).Hash());
    }

    [Fact]
    public void MissingFile_IsAGenesisException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"excraft-missing-{Guid.NewGuid():N}.json");
        Assert.Equal($"genesis file not found: {path}", Assert.Throws<GenesisException>(() => GenesisConfig.Load(path)).Message);
    }

    [Theory]
    [InlineData("chain_id")]
    [InlineData("params")]
    [InlineData("modules")]
    public void MissingField_IsAGenesisException_NamingTheField(string field)
    {
        var json = DevJson();
        json.Remove(field);
        var e = Assert.Throws<GenesisException>(() => ParseNode(json));
        Assert.Equal($"genesis: missing field \"{field}\"", e.Message);
    }

    [Fact]
    public void MissingNestedField_IsAGenesisException_NamingTheField()
    {
        var json = DevJson();
        Validators(json)![0]!.AsObject().Remove("self_bond");
        Assert.Equal("genesis: missing field \"self_bond\"", Assert.Throws<GenesisException>(() => ParseNode(json)).Message);
        json = DevJson();
        json["params"]!.AsObject().Remove("min_fee");
        Assert.Equal("genesis: missing field \"min_fee\"", Assert.Throws<GenesisException>(() => ParseNode(json)).Message);
    }

    [Fact]
    public void WrongType_IsAGenesisException_NamingTheField()
    {
        var json = DevJson();
        json["chain_id"] = "9545";
        var e = Assert.Throws<GenesisException>(() => ParseNode(json));
        Assert.StartsWith("genesis: field \"chain_id\": ", e.Message);

        json = DevJson();
        json["chain_name"] = null;
        Assert.Equal("genesis: field \"chain_name\": expected a string, found null", Assert.Throws<GenesisException>(() => ParseNode(json)).Message);

        json = DevJson();
        Validators(json)![0]!["self_bond"] = -1;
        Assert.StartsWith("genesis: field \"self_bond\": ", Assert.Throws<GenesisException>(() => ParseNode(json)).Message);

        json = DevJson();
        json["genesis_time"] = "yesterday";
        Assert.StartsWith("genesis: field \"genesis_time\": ", Assert.Throws<GenesisException>(() => ParseNode(json)).Message);
    }

    /// <summary>The same JSON with every object's keys in reverse order.</summary>
    private static JsonNode Reverse(JsonNode node) => node switch
    {
        JsonObject o => new JsonObject(o.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Reverse(p.Value.DeepClone())))),
        JsonArray a => new JsonArray(a.Select(x => x is null ? null : Reverse(x.DeepClone())).ToArray()),
        _ => node.DeepClone(),
    };
}
