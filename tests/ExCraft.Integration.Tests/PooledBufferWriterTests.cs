using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Core;
using ExCraft.Rpc.MarketData;
using ExCraft.Rpc.Methods;
using ExCraft.Rpc.Subscriptions;

namespace ExCraft.Integration.Tests;

/// <summary>
/// The WebSocket send path: messages of any size (beyond its pool's largest array too) come out
/// byte for byte, one after another, and a block's trades message written straight to the buffer
/// is the same JSON as the document form the stream sent before.
/// </summary>
public sealed class PooledBufferWriterTests
{
    [Fact]
    public void The_written_trades_message_equals_its_document_form()
    {
        var random = new Random(5);
        UInt128 Big() => (UInt128)(ulong)random.NextInt64() * (UInt128)(ulong)random.NextInt64();
        var trades = Enumerable.Range(1, 50).Select(i => new IndexedTrade("ORE/EXT",
            new TradeRecord((ulong)i, 7, Wallet.Dev(i % 3).Address, Wallet.Dev(3).Address, (ulong)(2 * i), (ulong)(2 * i + 1), i % 2 == 0, Big(), Big(), Big(), (UInt128)i, 0),
            1_700_000_000_000)).ToList();
        var document = new JsonObject
        {
            ["type"] = "trades", ["market"] = "ORE/EXT", ["height"] = 7, ["timeMs"] = 1_700_000_000_123,
            ["trades"] = new JsonArray(trades.Select(t => (JsonNode)MarketMethodsJson.Trade(t)).ToArray()),
        }.ToJsonString();
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer)) MarketMethodsJson.WriteTrades(writer, "ORE/EXT", 7, 1_700_000_000_123, trades);
        Assert.Equal(document, Encoding.UTF8.GetString(buffer.WrittenMemory.Span));
    }

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
