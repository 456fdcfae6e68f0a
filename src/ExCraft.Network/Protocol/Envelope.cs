using ExCraft.Core.Encoding;

namespace ExCraft.Network.Protocol;

/// <summary>The plaintext of every frame: RLP [type (uint, at most 32 bits), payload (bytes)].</summary>
internal static class Envelope
{
    /// <summary>Worst-case RLP overhead around a payload: list header (5) + type (5) + string header (5).</summary>
    public const int MaxOverhead = 15;

    public static byte[] Encode(uint type, ReadOnlySpan<byte> payload) =>
        Rlp.EncodeList(Rlp.EncodeUInt(type), Rlp.EncodeBytes(payload));

    /// <summary>Throws <see cref="RlpException"/> for anything but a canonical two-item list with a 32-bit type.</summary>
    public static (uint Type, byte[] Payload) Decode(ReadOnlySpan<byte> plaintext)
    {
        var fields = Rlp.Decode(plaintext).ListOf(2, "message");
        var type = fields[0].AsUInt64();
        if (type > uint.MaxValue) throw new RlpException($"message type {type} does not fit 32 bits");
        return ((uint)type, fields[1].Bytes);
    }
}

/// <summary>Disconnect payload: RLP [reason code, reason text (at most 256 bytes)].</summary>
internal static class DisconnectMessage
{
    public const int MaxTextBytes = 256;

    public static byte[] Encode(DisconnectReason reason, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (bytes.Length > MaxTextBytes) bytes = bytes[..MaxTextBytes];
        return Rlp.EncodeList(Rlp.EncodeUInt((ulong)reason), Rlp.EncodeBytes(bytes));
    }

    public static (DisconnectReason Reason, string Text) Decode(ReadOnlySpan<byte> payload)
    {
        var fields = Rlp.Decode(payload).ListOf(2, "disconnect");
        var code = fields[0].AsUInt64();
        var textBytes = fields[1].Bytes;
        if (textBytes.Length > MaxTextBytes) textBytes = textBytes[..MaxTextBytes];
        var text = new string(System.Text.Encoding.UTF8.GetString(textBytes).Where(c => !char.IsControl(c)).ToArray());
        return (code <= uint.MaxValue ? (DisconnectReason)(uint)code : DisconnectReason.None, text);
    }
}
