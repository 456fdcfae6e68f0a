using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Chain.Modules.Poe;
using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Cli;

/// <summary>
/// The falsification check of SPEC 6 over a published PoE report (docs/poe.md, "Verifying"): from
/// the entries and the published available share alone it recomputes the Merkle root, checks the
/// canonical order, recomputes every reward and the totals with the published rules, and checks
/// one account's entry and proof. Each finding is a sentence; none means the report holds.
/// </summary>
public static class PoeReportCheck
{
    /// <param name="report">poe_getReport's summary fields.</param>
    /// <param name="entries">Every entry of the report, in report order.</param>
    public static List<string> Report(JsonObject report, IReadOnlyList<JsonObject> entries)
    {
        var findings = new List<string>();
        var parsed = entries.Select(Entry).ToList();
        if ((ulong)parsed.Count != report.UInt64("entries"))
            findings.Add($"the report says {report.UInt64("entries")} entries but {parsed.Count} were published");
        for (var i = 1; i < parsed.Count; i++)
        {
            if (parsed[i - 1].MaskedId.AsSpan().SequenceCompareTo(parsed[i].MaskedId) >= 0)
                findings.Add($"entries {i - 1} and {i} are not in ascending masked-id order");
        }
        var root = PoeMerkle.Root(parsed.Select(e => e.LeafHash()).ToList());
        if (!root.AsSpan().SequenceEqual(Hex.Decode(report.String("root"))))
            findings.Add($"the Merkle root of the published entries is {Hex.Encode(root)}, the chain committed {report.String("root")}");

        var split = PoeRewards.Compute(parsed.Select(e => (e.Poe, e.Registered, e.FeesValue)).ToList(), report.Units("available"), report.UInt64("washCapPpm"));
        for (var i = 0; i < parsed.Count; i++)
        {
            if (split.Rewards[i] != parsed[i].Reward)
                findings.Add($"entry {i} ({Hex.Encode(parsed[i].MaskedId)}): the rules give {Amount.Format(split.Rewards[i])} EXT, the report pays {Amount.Format(parsed[i].Reward)} EXT");
        }
        Compare(findings, "paid in total", split.Paid, report.Units("paid"));
        Compare(findings, "registered PoE", split.EligiblePoe, report.Units("eligiblePoe"));
        Compare(findings, "held back by the wash guard", split.HeldByGuard, report.Units("heldByGuard"));
        var rewarded = (ulong)split.Rewards.Count(r => r > 0);
        if (rewarded != report.UInt64("rewarded")) findings.Add($"the rules reward {rewarded} accounts, the report says {report.UInt64("rewarded")}");
        if (split.Paid > report.Units("available")) findings.Add("the report pays more than the available PoE share");
        return findings;
    }

    /// <summary>Checks poe_getEntry's answer for an account: the masked id is the account's, the entry is the report's at its position, the proof leads to the root.</summary>
    public static List<string> Account(Address account, ulong epoch, JsonObject found, IReadOnlyList<JsonObject> entries, JsonObject report)
    {
        var findings = new List<string>();
        var entry = Entry(found["entry"]!.AsObject());
        var position = found["entry"]!.UInt64("position");
        if (!entry.MaskedId.AsSpan().SequenceEqual(PoeEntry.Mask(account, epoch)))
            findings.Add($"the entry's masked id is not keccak256({account.ToHex()} ‖ epoch {epoch})");
        if (position >= (ulong)entries.Count || !Entry(entries[(int)position]).Encode().AsSpan().SequenceEqual(entry.Encode()))
            findings.Add($"the account's entry differs from the report's entry at position {position}");
        var proof = found["proof"]!.AsArray().Select(x => x!.AsObject()).Select(s => new ProofStep(Hex.Decode(s.String("hash")), s.String("side") == "left")).ToList();
        if (!PoeMerkle.Verify(entry.LeafHash(), proof, Hex.Decode(report.String("root"))))
            findings.Add("the account's Merkle proof does not lead to the committed root");
        return findings;
    }

    public static PoeEntry Entry(JsonObject e) => new(Hex.Decode(e.String("maskedId")), e.Units("poe"), e.UInt64("buys"), e.UInt64("sells"),
        e.Bool("registered"), e.Units("feesValue"), e.Units("reward"));

    private static void Compare(List<string> findings, string what, UInt128 rules, UInt128 published)
    {
        if (rules != published) findings.Add($"{what}: the rules give {rules.ToString(CultureInfo.InvariantCulture)}, the report says {published.ToString(CultureInfo.InvariantCulture)}");
    }
}
