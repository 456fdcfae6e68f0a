using System.Text.Json.Nodes;
using ExCraft.Integration.Tests;
using ExCraft.Swaps.Bitcoin.Tests;
using NBitcoin;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// What the CLI tests with bitcoin legs share: a party's Bitcoin key funded from the miner with a
/// coin of its own, its swap configuration file (dev key on ExCraft, the key file and a
/// receive-only destination on bcoin), and a background miner extending the regtest chain every
/// 300 ms, like a live chain's miners.
/// </summary>
internal static class BtcCliKit
{
    public static readonly TimeSpan BlockInterval = TimeSpan.FromMilliseconds(300);
    public static readonly Money Funding = Money.Satoshis(10_000_000);
    public const long FeeRateSatPerVByte = 2; // the BcoinFixture's FeeRate

    /// <summary>A CLI party: its directory and configuration, its Bitcoin key (funded with one coin of <see cref="Funding"/>) and destination.</summary>
    public sealed record BtcParty(string Home, string Config, Key Key, Script Destination, int ScanFrom)
    {
        public Script KeyScript => Key.PubKey.WitHash.ScriptPubKey;
        public string PubKeyHex => Key.PubKey.ToHex();
    }

    /// <summary>Makes the party's directory and configuration; with <paramref name="fund"/>, pays its key one coin and waits until it is mined.</summary>
    public static async Task<BtcParty> PartyAsync(SwapWorld world, BcoinFixture bitcoin, string dir, string name, int devAccount, bool fund)
    {
        var home = Directory.CreateDirectory(Path.Combine(dir, name)).FullName;
        var key = new Key();
        var destination = new Key().PubKey.GetAddress(ScriptPubKeyType.Segwit, bitcoin.Network);
        var scanFrom = await bitcoin.TipAsync();
        if (fund) await FundAsync(bitcoin, key.PubKey.WitHash.ScriptPubKey);
        var config = WriteConfig(world, bitcoin, home, devAccount, key.GetWif(bitcoin.Network).ToString(), destination.ToString(), "bcoin-regtest", scanFrom);
        return new BtcParty(home, config, key, destination.ScriptPubKey, scanFrom);
    }

    /// <summary>The party's swap configuration file; the key and the RPC password are in files beside it.</summary>
    public static string WriteConfig(SwapWorld world, BcoinFixture bitcoin, string home, int devAccount, string wif, string destination, string network, int scanFrom,
        string keyFileName = "btc.wif")
    {
        var keyFile = Path.Combine(home, keyFileName);
        File.WriteAllText(keyFile, wif);
        var credentials = bitcoin.Client.Rpc.CredentialString.UserPassword;
        var passwordFile = Path.Combine(home, "bitcoin.password");
        File.WriteAllText(passwordFile, credentials.Password);
        var config = Path.Combine(home, $"swap-{Path.GetFileNameWithoutExtension(keyFileName)}-{network}.json");
        File.WriteAllText(config, new JsonObject
        {
            ["dataDir"] = "swaps", ["safetyMarginSeconds"] = 15, ["minClaimWindowSeconds"] = 8, ["pollMilliseconds"] = 200,
            ["excraft"] = new JsonObject { ["rpc"] = world.Ext.Rpc.Url, ["key"] = $"dev:{devAccount}", ["blockIntervalMs"] = 100 },
            ["bitcoin"] = new JsonObject
            {
                ["rpc"] = bitcoin.Client.Rpc.Address.ToString(), ["network"] = network, ["user"] = credentials.UserName, ["passwordFile"] = passwordFile,
                ["keyFile"] = keyFile, ["destination"] = destination, ["scanFromHeight"] = scanFrom, ["feeRateSatPerVByte"] = FeeRateSatPerVByte,
                ["blockIntervalMs"] = (int)BlockInterval.TotalMilliseconds,
            },
        }.ToJsonString());
        return config;
    }

    /// <summary>Pays <see cref="Funding"/> to the script from a mature coinbase of the miner and waits until a block holds it (the miner runs).</summary>
    public static async Task FundAsync(BcoinFixture bitcoin, Script script)
    {
        var builder = bitcoin.Network.CreateTransactionBuilder();
        builder.AddCoins(await bitcoin.TakeCoinAsync());
        builder.AddKeys(bitcoin.MinerKey);
        builder.Send(script, Funding);
        builder.SetChange(bitcoin.MinerAddress.ScriptPubKey);
        builder.SendEstimatedFees(bitcoin.FeeRate);
        var tx = builder.BuildTransaction(sign: true);
        await bitcoin.Client.SendAsync(tx);
        await Until.TrueAsync(async () => await bitcoin.Client.GetTxOutAsync(new OutPoint(tx, tx.Outputs.FindIndex(o => o.ScriptPubKey == script)), false) is { Confirmations: >= 1 },
            TimeSpan.FromSeconds(30), "the funding of a party's key is mined");
    }

    /// <summary>
    /// The fee of the party's funding of the lock (one input: its coin of <see cref="Funding"/>),
    /// read from the lock's transaction in its swap log; checked to be the fee rate times the size.
    /// </summary>
    public static async Task<Money> LockFeeAsync(BcoinFixture bitcoin, SwapState participant)
    {
        var txid = uint256.Parse(participant.OwnLock!.Ref.Split('-')[0]);
        var funding = await bitcoin.Client.GetTransactionAsync(txid) ?? throw new InvalidOperationException($"lock funding {txid} not found");
        Assert.Single(funding.Inputs);
        var fee = Funding - funding.Outputs.Sum(o => o.Value);
        var vsize = funding.GetVirtualSize();
        // NBitcoin's builder estimates the size with the largest signature, so the fee is the rate times a size within a few vbytes of the real one.
        Assert.InRange(fee.Satoshi, FeeRateSatPerVByte * (vsize - 2), FeeRateSatPerVByte * (vsize + 2));
        return fee;
    }

    /// <summary>Extends the regtest chain every <see cref="BlockInterval"/> until disposed.</summary>
    public static RegtestMiner StartMining(BcoinFixture bitcoin) => new(bitcoin, BlockInterval);

    /// <summary>Waits for a `swap run` process to end by itself (bounded) and returns its exit code and output.</summary>
    public static async Task<(int Exit, string Output)> EndAsync(CliSwapTests.CliRun run, TimeSpan bound)
    {
        using (var timeout = new CancellationTokenSource(bound))
        {
            try
            {
                await run.Process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                lock (run.Output) throw new TimeoutException($"swap run not finished within {bound.TotalSeconds:0} s:\n{run.Output}");
            }
        }
        run.Process.WaitForExit(); // drains the output readers
        lock (run.Output) return (run.Process.ExitCode, run.Output.ToString());
    }
}
