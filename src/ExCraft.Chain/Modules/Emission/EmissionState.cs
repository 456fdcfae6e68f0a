using System.Buffers.Binary;
using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Emission;

/// <summary>Typed access to the emission module's records: the carry-over, the running totals and each account's PoS reward total.</summary>
public static class EmissionState
{
    public static EmissionCarry ReadCarry(IStateReader reader) =>
        reader.Get(EmissionKeys.Carry) is { } value ? EmissionCarry.Decode(value) : EmissionCarry.None;

    public static void WriteCarry(StateOverlay state, EmissionCarry carry) => state.Set(EmissionKeys.Carry, carry.Encode());

    public static EmissionTotals ReadTotals(IStateReader reader) =>
        EmissionTotals.Decode(reader.Get(EmissionKeys.Totals) ?? throw new InvalidOperationException("no emission totals in state (genesis did not run the emission module)"));

    public static void WriteTotals(StateOverlay state, EmissionTotals totals) => state.Set(EmissionKeys.Totals, totals.Encode());

    public static UInt128 ReadPendingPoe(IStateReader reader) => ReadU128(reader, EmissionKeys.PendingPoe);

    public static void WritePendingPoe(StateOverlay state, UInt128 amount) => WriteU128(state, EmissionKeys.PendingPoe, amount);

    public static UInt128 ReadPendingPools(IStateReader reader) => ReadU128(reader, EmissionKeys.PendingPools);

    public static void WritePendingPools(StateOverlay state, UInt128 amount) => WriteU128(state, EmissionKeys.PendingPools, amount);

    /// <summary>What was minted for the epoch still closing, by share (PoE and pools; PoS is paid at the settlement).</summary>
    public static ShareAmounts ReadPending(IStateReader reader) => new(ReadPendingPoe(reader), ReadPendingPools(reader), 0);

    private static UInt128 ReadU128(IStateReader reader, byte[] key) => reader.Get(key) is { } v ? BinaryPrimitives.ReadUInt128BigEndian(v) : 0;

    private static void WriteU128(StateOverlay state, byte[] key, UInt128 amount)
    {
        if (amount == 0)
        {
            state.Delete(key);
            return;
        }
        var value = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(value, amount);
        state.Set(key, value);
    }

    /// <summary>(total PoS rewards received, last epoch paid) of an account; (0, null) if it never received one.</summary>
    public static (UInt128 Total, ulong? LastEpoch) ReadReward(IStateReader reader, Address account)
    {
        if (reader.Get(EmissionKeys.Reward(account)) is not { } value) return (0, null);
        return (BinaryPrimitives.ReadUInt128BigEndian(value.AsSpan(0, 16)), BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(16, 8)));
    }

    public static void AddReward(StateOverlay state, Address account, UInt128 amount, ulong epoch)
    {
        var value = new byte[24];
        BinaryPrimitives.WriteUInt128BigEndian(value.AsSpan(0, 16), Amount.Add(ReadReward(state, account).Total, amount));
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(16, 8), epoch);
        state.Set(EmissionKeys.Reward(account), value);
    }
}
