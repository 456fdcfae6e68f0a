using System.Diagnostics;
using System.Text.Json;
using ExCraft.Swaps.Ethereum;
using Nethereum.Contracts;
using Nethereum.Util;

namespace ExCraft.Swaps.Ethereum.Tests;

/// <summary>
/// The committed artifacts are exactly what solc (from npm) makes of the committed sources, and
/// the driver's hand-written ABI messages agree with the compiled ABI.
/// </summary>
public sealed class ContractArtifactTests
{
    [Fact]
    public async Task The_committed_artifacts_equal_a_fresh_compile_of_the_sources()
    {
        _ = RepoPaths.NodeModules; // clear message if npm install has not run
        var outDir = Directory.CreateTempSubdirectory("excraft-solc-").FullName;
        try
        {
            var start = new ProcessStartInfo("node") { WorkingDirectory = RepoPaths.Swaps, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "contracts/compile.js", "--out", outDir }) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("solc did not finish within 120 s");
            }
            Assert.True(process.ExitCode == 0, "compile.js failed: " + await stderr);

            var fresh = Directory.GetFiles(outDir).Select(Path.GetFileName).Order().ToArray();
            var committed = Directory.GetFiles(RepoPaths.Artifacts).Select(Path.GetFileName).Order().ToArray();
            Assert.Equal(committed, fresh);
            Assert.Contains("ExCraftHtlc.json", committed);
            foreach (var name in committed)
            {
                Assert.True(
                    File.ReadAllBytes(Path.Combine(RepoPaths.Artifacts, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(outDir, name!))),
                    $"{name} differs from a fresh compile: run `npm run compile` in swaps/ and commit the result, never edit it by hand");
            }
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public void The_embedded_artifact_is_the_committed_one()
    {
        var committed = ContractArtifact.Parse(File.ReadAllText(Path.Combine(RepoPaths.Artifacts, "ExCraftHtlc.json")));
        Assert.Equal(committed.Bytecode, ContractArtifact.Htlc.Bytecode);
        Assert.Equal(committed.AbiJson, ContractArtifact.Htlc.AbiJson);
        Assert.StartsWith("solc 0.8.37", ContractArtifact.Htlc.Compiler);
    }

    [Fact]
    public void The_driver_messages_match_the_compiled_abi()
    {
        var (functions, events, errors) = Selectors(ContractArtifact.Htlc.AbiJson);
        Assert.Equal(
            new[] { "claim", "lock", "lockToken", "refund", "swapIdOf", "swaps" },
            functions.Values.Order().ToArray());
        Assert.Equal("lock", functions[ABITypedRegistry.GetFunctionABI<LockFunction>().Sha3Signature]);
        Assert.Equal("lockToken", functions[ABITypedRegistry.GetFunctionABI<LockTokenFunction>().Sha3Signature]);
        Assert.Equal("claim", functions[ABITypedRegistry.GetFunctionABI<ClaimFunction>().Sha3Signature]);
        Assert.Equal("refund", functions[ABITypedRegistry.GetFunctionABI<RefundFunction>().Sha3Signature]);
        Assert.Equal("swapIdOf", functions[ABITypedRegistry.GetFunctionABI<SwapIdOfFunction>().Sha3Signature]);
        Assert.Equal("swaps", functions[ABITypedRegistry.GetFunctionABI<SwapsFunction>().Sha3Signature]);
        Assert.Equal("Locked", events[ABITypedRegistry.GetEvent<LockedEventDto>().Sha3Signature]);
        Assert.Equal("Claimed", events[ABITypedRegistry.GetEvent<ClaimedEventDto>().Sha3Signature]);
        Assert.Equal("Refunded", events[ABITypedRegistry.GetEvent<RefundedEventDto>().Sha3Signature]);
        foreach (var (selector, name) in errors)
            Assert.Equal(name, HtlcClient.Errors.DecodeData("0x" + selector));
        Assert.Contains("PreimageLength", errors.Values);
    }

    /// <summary>Selectors computed from the artifact's ABI alone (keccak of the canonical signature).</summary>
    private static (Dictionary<string, string> Functions, Dictionary<string, string> Events, Dictionary<string, string> Errors) Selectors(string abi)
    {
        var functions = new Dictionary<string, string>();
        var events = new Dictionary<string, string>();
        var errors = new Dictionary<string, string>();
        using var doc = JsonDocument.Parse(abi);
        foreach (var entry in doc.RootElement.EnumerateArray())
        {
            var type = entry.GetProperty("type").GetString();
            if (type is not ("function" or "event" or "error")) continue;
            var name = entry.GetProperty("name").GetString()!;
            var types = string.Join(",", entry.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
            var hash = Sha3Keccack.Current.CalculateHash($"{name}({types})");
            switch (type)
            {
                case "function": functions[hash[..8]] = name; break;
                case "event": events[hash] = name; break;
                default: errors[hash[..8]] = name; break;
            }
        }
        return (functions, events, errors);
    }
}
