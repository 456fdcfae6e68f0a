using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ExCraft.Network.Protocol;

/// <summary>
/// Encrypted framing over a byte stream. A frame is a 4-byte big-endian length L followed by L
/// bytes: the ChaCha20-Poly1305 ciphertext of the message and its 16-byte tag. The length prefix
/// is the associated data, so it is authenticated too. Each direction has its own key and a
/// 64-bit counter; the 96-bit nonce is 4 zero bytes then the counter big-endian. A counter is
/// never reused: the channel refuses to send or receive once it would wrap.
/// One reader and one writer may use the channel concurrently; neither method is reentrant.
/// </summary>
internal sealed class SecureChannel : IDisposable
{
    public const int LengthPrefixSize = 4;
    public const int TagSize = 16;
    public const int NonceSize = 12;

    private readonly Stream _stream;
    private readonly ChaCha20Poly1305 _sendCipher;
    private readonly ChaCha20Poly1305 _receiveCipher;
    private ulong _sendCounter;
    private ulong _receiveCounter;

    public SecureChannel(Stream stream, byte[] sendKey, byte[] receiveKey, int maxFrameSize, ulong initialSendCounter = 0, ulong initialReceiveCounter = 0)
    {
        if (!ChaCha20Poly1305.IsSupported) throw new PlatformNotSupportedException("ChaCha20-Poly1305 is not supported by this platform's crypto library");
        _stream = stream;
        _sendCipher = new ChaCha20Poly1305(sendKey);
        _receiveCipher = new ChaCha20Poly1305(receiveKey);
        MaxFrameSize = maxFrameSize;
        _sendCounter = initialSendCounter;
        _receiveCounter = initialReceiveCounter;
    }

    /// <summary>Largest accepted and sent L (ciphertext + tag). Lowered during the handshake.</summary>
    public int MaxFrameSize { get; set; }

    /// <summary>The largest plaintext that fits in one frame.</summary>
    public int MaxPlaintextSize => MaxFrameSize - TagSize;

    public ulong SendCounter => Interlocked.Read(ref _sendCounter);
    public ulong ReceiveCounter => Interlocked.Read(ref _receiveCounter);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        var length = plaintext.Length + TagSize;
        if (length > MaxFrameSize) throw new FrameException(DisconnectReason.FrameTooLarge, $"message of {plaintext.Length} bytes exceeds the frame limit of {MaxFrameSize} bytes");
        var counter = _sendCounter;
        if (counter == ulong.MaxValue) throw new FrameException(DisconnectReason.NonceExhausted, "send nonce counter exhausted; the connection must be re-established");

        var frame = new byte[LengthPrefixSize + length];
        BinaryPrimitives.WriteInt32BigEndian(frame, length);
        Span<byte> nonce = stackalloc byte[NonceSize];
        WriteNonce(nonce, counter);
        _sendCipher.Encrypt(nonce, plaintext.Span,
            frame.AsSpan(LengthPrefixSize, plaintext.Length),
            frame.AsSpan(LengthPrefixSize + plaintext.Length, TagSize),
            frame.AsSpan(0, LengthPrefixSize));
        Interlocked.Exchange(ref _sendCounter, counter + 1);
        await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads and decrypts one frame. Returns null when the stream ended cleanly at a frame
    /// boundary. Throws <see cref="FrameException"/> for an oversized or undersized length, a
    /// truncated frame or a failed authentication; the connection must be closed after that.
    /// </summary>
    public async ValueTask<byte[]?> ReadAsync(CancellationToken cancellationToken)
    {
        var header = new byte[LengthPrefixSize];
        var got = await _stream.ReadAtLeastAsync(header, LengthPrefixSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got == 0) return null;
        if (got < LengthPrefixSize) throw new FrameException(DisconnectReason.ProtocolViolation, "connection closed inside a frame's length prefix");

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        // Checked before reading (or allocating) the body.
        if (length > (uint)MaxFrameSize) throw new FrameException(DisconnectReason.FrameTooLarge, $"frame length {length} exceeds the limit of {MaxFrameSize} bytes");
        if (length < TagSize) throw new FrameException(DisconnectReason.ProtocolViolation, $"frame length {length} is shorter than the {TagSize}-byte tag");
        var counter = _receiveCounter;
        if (counter == ulong.MaxValue) throw new FrameException(DisconnectReason.NonceExhausted, "receive nonce counter exhausted; the connection must be re-established");

        var body = new byte[length];
        got = await _stream.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got < body.Length) throw new FrameException(DisconnectReason.ProtocolViolation, $"connection closed inside a frame ({got} of {length} bytes)");

        var plaintext = new byte[length - TagSize];
        Span<byte> nonce = stackalloc byte[NonceSize];
        WriteNonce(nonce, counter);
        try
        {
            _receiveCipher.Decrypt(nonce, body.AsSpan(0, plaintext.Length), body.AsSpan(plaintext.Length), plaintext, header);
        }
        catch (CryptographicException)
        {
            throw new FrameException(DisconnectReason.DecryptionFailed, $"frame {counter} failed authentication (tampered, replayed or out of order)");
        }
        Interlocked.Exchange(ref _receiveCounter, counter + 1);
        return plaintext;
    }

    internal static void WriteNonce(Span<byte> nonce12, ulong counter)
    {
        nonce12[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce12[4..], counter);
    }

    public void Dispose()
    {
        _sendCipher.Dispose();
        _receiveCipher.Dispose();
    }
}

/// <summary>A frame that cannot be accepted; the connection is closed (and the peer banned, except for nonce exhaustion).</summary>
internal sealed class FrameException(DisconnectReason reason, string message) : Exception(message)
{
    public DisconnectReason Reason { get; } = reason;
}
