using System.Buffers.Binary;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Emission.Schedule;

/// <summary>
/// The emission schedule as paid: the base units released in each cycle 0..74,036 and their
/// running totals. Amounts come from <see cref="EmissionCurve"/>; the running total is capped at
/// exactly 7,000,000,000 EXT, so the cycle that reaches the cap releases only what is left and
/// every later cycle releases nothing (the untruncated curve sums to about 7,000,090,002 EXT).
/// The table is built once per process and its Keccak-256 (over each cycle's amount as 16 bytes
/// big-endian, in cycle order) must equal <see cref="PinnedHash"/>: a platform that computes a
/// single base unit differently refuses to start instead of forking the chain.
/// </summary>
public sealed class EmissionTable
{
    /// <summary>7,000,000,000 EXT in base units: the PoE, pool and PoS rewards of SPEC 1 (70% of 10 billion).</summary>
    public static readonly UInt128 TotalBaseUnits = Amount.FromWhole(7_000_000_000);

    /// <summary>Keccak-256 of the table; genesis pins the same value (docs/emission.md).</summary>
    public const string PinnedHash = "0x68d9ee0d5c376bd96d1e993fbf79e194d39992215a32108c12ce99b5327e4b38";

    private static readonly Lazy<EmissionTable> SharedTable = new(() => Build(verify: true), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly UInt128[] amounts;
    private readonly UInt128[] cumulative; // cumulative[x] = amounts[0] + ... + amounts[x]

    private EmissionTable(UInt128[] amounts, UInt128[] cumulative, UInt128 untruncatedTotal, ulong capCycle, byte[] hash)
    {
        this.amounts = amounts;
        this.cumulative = cumulative;
        UntruncatedTotal = untruncatedTotal;
        CapCycle = capCycle;
        Hash = hash;
    }

    /// <summary>The process-wide table, built and checked against the pinned hash on first use.</summary>
    public static EmissionTable Shared => SharedTable.Value;

    /// <summary>Sum of the curve over all cycles before truncation.</summary>
    public UInt128 UntruncatedTotal { get; }

    /// <summary>The cycle in which the running total reaches <see cref="TotalBaseUnits"/>; later cycles release 0.</summary>
    public ulong CapCycle { get; }

    /// <summary>Keccak-256 over the per-cycle amounts (see the class summary).</summary>
    public byte[] Hash { get; }

    public string HashHex => Hex.Encode(Hash);

    /// <summary>Computes the table; with verify, throws if its hash differs from <see cref="PinnedHash"/>.</summary>
    public static EmissionTable Build(bool verify)
    {
        var raw = new UInt128[EmissionCurve.CycleCount];
        // Cycles are independent, so they are computed in parallel; each result lands in its own
        // slot, so the table does not depend on the order the threads finish in.
        Parallel.For(0, raw.Length, x => raw[x] = EmissionCurve.BaseUnits((ulong)x));

        var amounts = new UInt128[raw.Length];
        var cumulative = new UInt128[raw.Length];
        UInt128 untruncated = 0;
        UInt128 running = 0;
        ulong? capCycle = null;
        for (var x = 0; x < raw.Length; x++)
        {
            untruncated = Amount.Add(untruncated, raw[x]);
            var left = TotalBaseUnits - running;
            amounts[x] = raw[x] < left ? raw[x] : left;
            running += amounts[x];
            cumulative[x] = running;
            if (capCycle is null && running == TotalBaseUnits) capCycle = (ulong)x;
        }
        if (capCycle is null)
        {
            throw new InvalidOperationException($"emission curve sums to {Amount.Format(untruncated)} EXT, less than the {Amount.Format(TotalBaseUnits)} EXT the schedule must release");
        }

        var table = new EmissionTable(amounts, cumulative, untruncated, capCycle.Value, ComputeHash(amounts));
        if (verify && table.HashHex != PinnedHash)
        {
            throw new InvalidOperationException($"emission table hash {table.HashHex} differs from the pinned {PinnedHash}: this platform computes the schedule differently and must not run the chain");
        }
        return table;
    }

    /// <summary>
    /// Refuses to run a chain whose genesis pins a different table (a changed schedule or a
    /// platform computing it differently); the hash is compared as hex, case-insensitively.
    /// </summary>
    public void RequireHash(string expectedHex)
    {
        if (!string.Equals(expectedHex?.Trim(), HashHex, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"the genesis pins emission table hash {expectedHex} but this node computes {HashHex}");
        }
    }

    /// <summary>Base units released in one cycle (0 for the truncated tail).</summary>
    public UInt128 Emission(ulong cycle) => amounts[CheckCycle(cycle)];

    /// <summary>Base units released in cycles 0..cycle inclusive.</summary>
    public UInt128 CumulativeThrough(ulong cycle) => cumulative[CheckCycle(cycle)];

    /// <summary>Base units released in cycles before this one (0 for cycle 0; the whole schedule for CycleCount).</summary>
    public UInt128 CumulativeBefore(ulong cycle)
    {
        if (cycle > EmissionCurve.CycleCount) throw new ArgumentOutOfRangeException(nameof(cycle), $"cycle {cycle} is past the schedule's end ({EmissionCurve.CycleCount} cycles)");
        return cycle == 0 ? 0 : cumulative[cycle - 1];
    }

    /// <summary>Base units released in cycles first..last inclusive, from the prefix sums.</summary>
    public UInt128 Range(ulong first, ulong last)
    {
        if (first > last) throw new ArgumentException($"range start {first} is after its end {last}", nameof(first));
        CheckCycle(last);
        return cumulative[last] - CumulativeBefore(first);
    }

    private static int CheckCycle(ulong cycle) =>
        cycle <= EmissionCurve.LastCycle
            ? (int)cycle
            : throw new ArgumentOutOfRangeException(nameof(cycle), $"cycle {cycle} is past the schedule's last cycle {EmissionCurve.LastCycle}");

    private static byte[] ComputeHash(UInt128[] amounts)
    {
        var bytes = new byte[amounts.Length * 16];
        for (var x = 0; x < amounts.Length; x++) BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(x * 16, 16), amounts[x]);
        return Keccak256.Hash(bytes);
    }
}
