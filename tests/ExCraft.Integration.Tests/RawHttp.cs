using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ExCraft.Integration.Tests;

/// <summary>
/// HTTP/1.1 by hand over a socket, for requests a well-behaved client cannot send (a bad chunk
/// size, a chunked body that never ends). Reads the answer while still sending, as a server may
/// answer and close before the body is through.
/// </summary>
public static class RawHttp
{
    public static async Task<(int Status, JsonNode? Body)> PostChunkedAsync(int port, IEnumerable<byte[]> framedBody, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancel.Token);
        var stream = client.GetStream();
        var head = $"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancel.Token);
        var reading = ReadToEndAsync(stream, cancel.Token);
        try
        {
            foreach (var piece in framedBody)
            {
                if (reading.IsCompleted) break;
                await stream.WriteAsync(piece, cancel.Token);
            }
        }
        catch (IOException)
        {
            // The server answered and closed while the body was still being sent.
        }
        return Parse(await reading);
    }

    /// <summary>One chunk in chunked framing: hex size, CRLF, data, CRLF.</summary>
    public static byte[] Chunk(byte[] data) =>
        [.. Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), .. data, .. "\r\n"u8];

    public static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream, CancellationToken cancel)
    {
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, cancel)) > 0) received.Write(buffer, 0, n);
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the answer arrived.
        }
        return received.ToArray();
    }

    private static (int Status, JsonNode? Body) Parse(byte[] response)
    {
        var text = Encoding.UTF8.GetString(response);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0) throw new InvalidOperationException($"no complete HTTP answer: '{text}'");
        var headers = text[..split].Split("\r\n");
        var status = int.Parse(headers[0].Split(' ')[1]);
        var body = text[(split + 4)..];
        if (headers.Any(h => h.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && h.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
            throw new InvalidOperationException($"expected a Content-Length answer, got a chunked one: '{text}'");
        return (status, body.Length == 0 ? null : JsonNode.Parse(body));
    }
}
