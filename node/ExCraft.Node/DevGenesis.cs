using ExCraft.Core.Genesis;

namespace ExCraft.Node;

/// <summary>The dev chain's genesis (genesis/dev.json, embedded in the node) and its funded accounts.</summary>
public static class DevGenesis
{
    public static GenesisConfig Load()
    {
        using var stream = typeof(DevGenesis).Assembly.GetManifestResourceStream("ExCraft.Node.dev.json")
            ?? throw new NodeStartupException("the node was built without its embedded dev genesis");
        using var reader = new StreamReader(stream);
        return GenesisConfig.Parse(reader.ReadToEnd(), "genesis/dev.json");
    }

    public static void PrintAccounts(TextWriter output)
    {
        output.WriteLine("Dev accounts (funded in genesis/dev.json; these keys are public, never use them elsewhere):");
        for (var i = 0; i < DevKeys.AccountCount; i++)
        {
            var key = DevKeys.Account(i);
            output.WriteLine($"  [{i}] {key.Address}  {key.Address.ToHex()}  private key {key.ToHex()}");
        }
        output.WriteLine($"Dev validator: {DevKeys.Validator.Address}");
    }
}
