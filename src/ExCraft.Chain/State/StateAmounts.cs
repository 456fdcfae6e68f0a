using System.Buffers.Binary;

namespace ExCraft.Chain.State;

/// <summary>
/// Amounts stored as state values: 16 bytes, big-endian. The one encoding every module's totals,
/// locks, escrows and delegations use.
/// </summary>
public static class StateAmounts
{
    public static byte[] Encode(UInt128 value)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return bytes;
    }

    public static UInt128 Decode(byte[] value) => BinaryPrimitives.ReadUInt128BigEndian(value);

    /// <summary>The amount under <paramref name="key"/>, 0 when absent.</summary>
    public static UInt128 Read(IStateReader reader, byte[] key) => reader.Get(key) is { } value ? Decode(value) : UInt128.Zero;

    /// <summary>Writes the amount, or deletes the key at zero (a total that drops to nothing leaves no key).</summary>
    public static void WriteOrDelete(StateOverlay state, byte[] key, UInt128 value)
    {
        if (value == 0) state.Delete(key);
        else state.Set(key, Encode(value));
    }
}
