using System.Text;
using System.Text.Json;
using ExCraft.Rpc.Subscriptions;

namespace ExCraft.Integration.Tests;

/// <summary>The WebSocket send buffer: messages of any size (beyond its pool's largest array too) come out byte for byte, one after another.</summary>
public sealed class PooledBufferWriterTests
{
    [Fact]
    public void Messages_small_large_and_beyond_the_pool_are_written_exactly_and_reset_between()
    {
        using var buffer = new PooledBufferWriter();
        foreach (var length in new[] { 10, 5_000, 300_000, 9_000_000, 20 })
        {
            var text = new string((char)('a' + length % 26), length);
            buffer.Reset();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("payload", text);
                writer.WriteEndObject();
            }
            Assert.Equal($"{{\"payload\":\"{text}\"}}", Encoding.UTF8.GetString(buffer.WrittenMemory.Span));
        }
        buffer.Dispose(); // a second Dispose (the using) does nothing
    }
}
