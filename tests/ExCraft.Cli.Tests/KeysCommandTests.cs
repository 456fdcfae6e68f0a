using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Crypto;

namespace ExCraft.Cli.Tests;

public sealed class KeysCommandTests : IDisposable
{
    // ethereum/tests KeyStoreTests/basic_tests.json "test1" (pbkdf2), as in tests/ExCraft.Core.Tests/KeystoreTests.cs.
    private const string VectorPassword = "testpassword";
    private const string VectorKey = "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";
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

    private readonly TempDirectory _temp = new();
    private readonly string _keystore;
    private readonly string _password;
    private readonly string _wrongPassword;

    public KeysCommandTests()
    {
        _keystore = _temp.File("keystore");
        _password = _temp.File("password.txt", "correct horse battery staple\n");
        _wrongPassword = _temp.File("wrong.txt", "Tr0ub4dor&3\n");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task New_list_export_round_trip()
    {
        var created = (await TestCli.RunExpectingAsync(0, "keys", "new", "--name", "alice", "--light-kdf", "--password-file", _password, "--keystore", _keystore, "--json")).Json;
        var address = Address.Parse(created["address"]!.GetValue<string>());
        var file = created["file"]!.GetValue<string>();
        Assert.Equal(_keystore, Path.GetDirectoryName(file));
        Assert.Matches(@"^UTC--\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d+Z--" + address.ToHex()[2..] + @"\.json$", Path.GetFileName(file));
        var document = JsonNode.Parse(File.ReadAllText(file))!;
        Assert.Equal(3, document["version"]!.GetValue<int>());
        Assert.Equal("scrypt", document["crypto"]!["kdf"]!.GetValue<string>());
        Assert.Equal(4096, document["crypto"]!["kdfparams"]!["n"]!.GetValue<int>());
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        var list = (await TestCli.RunExpectingAsync(0, "keys", "list", "--keystore", _keystore, "--json")).Json.AsArray();
        var entry = Assert.Single(list)!;
        Assert.Equal(address.ToString(), entry["address"]!.GetValue<string>());
        Assert.Equal(address.ToHex(), entry["hex"]!.GetValue<string>());
        Assert.Equal("alice", entry["name"]!.GetValue<string>());

        var human = await TestCli.RunExpectingAsync(0, "keys", "list", "--keystore", _keystore);
        Assert.Contains(address.ToString(), human.Out);
        Assert.Contains("alice", human.Out);

        var exported = await TestCli.RunExpectingAsync(0, "keys", "export", address.ToString(), "--password-file", _password, "--keystore", _keystore);
        Assert.Equal(address, PrivateKey.FromHex(exported.Out.Trim()).Address);
        Assert.StartsWith("excraft: warning:", exported.Error);

        // By hex address and by name too.
        var byName = (await TestCli.RunExpectingAsync(0, "keys", "export", "alice", "--password-file", _password, "--keystore", _keystore, "--json")).Json;
        Assert.Equal(exported.Out.Trim(), byName["privateKey"]!.GetValue<string>());
        await TestCli.RunExpectingAsync(0, "keys", "export", address.ToHex(), "--password-file", _password, "--keystore", _keystore);
    }

    [Fact]
    public async Task Wrong_password_exits_4()
    {
        var address = (await TestCli.RunExpectingAsync(0, "keys", "new", "--light-kdf", "--password-file", _password, "--keystore", _keystore, "--json")).Json["address"]!.GetValue<string>();
        var run = await TestCli.RunExpectingAsync(4, "keys", "export", address, "--password-file", _wrongPassword, "--keystore", _keystore);
        Assert.Equal("", run.Out);
        Assert.StartsWith("excraft: wrong password for the keystore file ", run.Error);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Imports_an_ethereum_v3_keystore_and_re_encrypts_it()
    {
        var source = _temp.File("ethereum-keystore.json", Pbkdf2Vector);
        var vectorPassword = _temp.File("vector-password.txt", VectorPassword);
        var expected = PrivateKey.FromHex(VectorKey).Address;

        var wrong = await TestCli.RunExpectingAsync(4, "keys", "import", "--keystore-file", source, "--password-file", _wrongPassword, "--keystore", _keystore);
        Assert.StartsWith("excraft: wrong password", wrong.Error);

        var imported = (await TestCli.RunExpectingAsync(0, "keys", "import", "--keystore-file", source, "--password-file", vectorPassword, "--light-kdf", "--keystore", _keystore, "--json")).Json;
        Assert.Equal(expected.ToString(), imported["address"]!.GetValue<string>());
        var stored = JsonNode.Parse(File.ReadAllText(imported["file"]!.GetValue<string>()))!;
        Assert.Equal("scrypt", stored["crypto"]!["kdf"]!.GetValue<string>());
        Assert.Equal(expected.ToHex()[2..], stored["address"]!.GetValue<string>());

        var exported = await TestCli.RunExpectingAsync(0, "keys", "export", expected.ToString(), "--password-file", vectorPassword, "--keystore", _keystore);
        Assert.Equal(VectorKey, exported.Out.Trim());

        var again = await TestCli.RunExpectingAsync(1, "keys", "import", "--keystore-file", source, "--password-file", vectorPassword, "--light-kdf", "--keystore", _keystore);
        Assert.StartsWith("excraft: the keystore already holds", again.Error);
    }

    [Fact]
    public async Task Imports_a_private_key_file()
    {
        var keyFile = _temp.File("key.txt", VectorKey[2..] + "\n");
        var imported = (await TestCli.RunExpectingAsync(0, "keys", "import", "--private-key-file", keyFile, "--password-file", _password, "--light-kdf", "--keystore", _keystore, "--json")).Json;
        Assert.Equal(PrivateKey.FromHex(VectorKey).Address.ToString(), imported["address"]!.GetValue<string>());

        var bad = await TestCli.RunExpectingAsync(1, "keys", "import", "--private-key-file", _temp.File("bad.txt", "0x1234"), "--password-file", _password, "--keystore", _keystore);
        Assert.StartsWith("excraft: ", bad.Error);
        Assert.Contains("does not hold a private key", bad.Error);
    }

    [Fact]
    public async Task Import_needs_exactly_one_source()
    {
        var run = await TestCli.RunExpectingAsync(1, "keys", "import", "--password-file", _password, "--keystore", _keystore);
        Assert.StartsWith("excraft: keys import needs exactly one of --private-key-file FILE and --keystore-file FILE", run.Error);
    }

    [Fact]
    public async Task Without_a_password_source_and_terminal_it_says_how_to_give_one()
    {
        var run = await TestCli.RunExpectingAsync(1, "keys", "new", "--light-kdf", "--keystore", _keystore);
        Assert.Contains("--password-file FILE or set EXCRAFT_PASSWORD", run.Error);
        Assert.False(Directory.Exists(_keystore) && Directory.EnumerateFiles(_keystore).Any());
    }

    [Fact]
    public async Task Unknown_key_exits_5()
    {
        var run = await TestCli.RunExpectingAsync(5, "keys", "export", "ext19x7zums78lts3wd6y629eycn6a8dv8tckzsrwz", "--password-file", _password, "--keystore", _keystore);
        Assert.StartsWith("excraft: no key for ext19x7zums78lts3wd6y629eycn6a8dv8tckzsrwz", run.Error);
    }

    [Fact]
    public async Task Password_from_environment_variable_and_prompt()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var prompts = new List<string>();
        var environment = new CliEnvironment(stdout, stderr, name => name == "EXCRAFT_KEYSTORE" ? _keystore : null, _temp.Path,
            ReadSecret: prompt => { prompts.Add(prompt); return "prompted"; });
        Assert.Equal(0, await Cli.RunAsync(["keys", "new", "--light-kdf", "--json"], environment));
        Assert.Equal(2, prompts.Count); // asked twice for a new key
        var address = JsonNode.Parse(stdout.ToString())!["address"]!.GetValue<string>();

        var fromVariable = new CliEnvironment(new StringWriter(), new StringWriter(),
            name => name switch { "EXCRAFT_KEYSTORE" => _keystore, "EXCRAFT_PASSWORD" => "prompted", _ => null }, _temp.Path);
        Assert.Equal(0, await Cli.RunAsync(["keys", "export", address], fromVariable));
    }
}
