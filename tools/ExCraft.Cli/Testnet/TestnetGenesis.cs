using System.Text.Json.Nodes;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;

namespace ExCraft.Cli.Testnet;

/// <summary>
/// The genesis of a local testnet: the dev accounts funded as on the dev chain (EXT and ORE, with the ORE/EXT market), each validator's
/// operator funded and bonded with the same stake, short epochs and unbonding so staking can be
/// watched in minutes.
/// </summary>
public static class TestnetGenesis
{
    public const ulong ChainId = 9547;

    public static JsonObject Create(IReadOnlyList<PrivateKey> validators, int blockIntervalMs, int epochMs, int maxValidators, DateTimeOffset time)
    {
        var accounts = new JsonArray();
        for (var i = 0; i < DevKeys.AccountCount; i++)
            accounts.Add(new JsonObject { ["address"] = DevKeys.Account(i).Address.ToString(), ["balances"] = new JsonObject { ["EXT"] = "1000000", ["ORE"] = "100000" } });
        foreach (var v in validators)
            accounts.Add(new JsonObject { ["address"] = v.Address.ToString(), ["balances"] = new JsonObject { ["EXT"] = "100" }, ["registered"] = true });
        return new JsonObject
        {
            ["chain_id"] = ChainId,
            ["chain_name"] = "excraft-local-testnet",
            ["genesis_time"] = time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["params"] = new JsonObject
            {
                ["block_interval_ms"] = blockIntervalMs,
                ["min_fee"] = "0.00001",
                // Small enough that every validator checks a proposal well within the propose timeout on a small machine.
                ["max_block_transactions"] = 2000,
                ["max_block_bytes"] = 4194304,
                ["max_transaction_bytes"] = 16384,
            },
            ["modules"] = new JsonObject
            {
                ["accounts"] = new JsonObject
                {
                    ["assets"] = new JsonArray(new JsonObject { ["symbol"] = "EXT", ["decimals"] = 18 }, new JsonObject { ["symbol"] = "ORE", ["decimals"] = 6 }),
                    ["accounts"] = accounts,
                },
                // The dev chain's ORE/EXT market, so trading (and PoE's epoch ends) can be watched on a testnet too.
                ["markets"] = new JsonObject
                {
                    ["authority"] = DevKeys.Account(0).Address.ToString(),
                    ["markets"] = new JsonArray(new JsonObject
                    {
                        ["base"] = "ORE", ["quote"] = "EXT", ["tick_size"] = "0.001", ["lot_size"] = "0.01", ["min_notional"] = "1",
                        ["maker_fee_ppm"] = 1000, ["taker_fee_ppm"] = 2000, ["status"] = "active", ["mode"] = "continuous",
                    }),
                },
                ["staking"] = new JsonObject
                {
                    ["params"] = new JsonObject
                    {
                        ["min_self_bond"] = "1",
                        ["max_validators"] = maxValidators,
                        ["epoch_length_ms"] = epochMs,
                        ["unbonding_period_ms"] = 60000,
                        ["downtime_window_blocks"] = 200,
                        ["downtime_jail_ms"] = 60000,
                    },
                    ["validators"] = new JsonArray(validators.Select((v, i) => (JsonNode)new JsonObject
                    {
                        ["address"] = v.Address.ToString(),
                        ["public_key"] = Hex.Encode(v.PublicKey.Compressed),
                        ["self_bond"] = "1000",
                        ["moniker"] = $"validator-{i}",
                    }).ToArray()),
                },
                ["emission"] = new JsonObject
                {
                    ["first_cycle"] = 0,
                    ["table_hash"] = EmissionParameters.StandardTableHash,
                },
            },
        };
    }
}
