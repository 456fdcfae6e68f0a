using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ExCraft.Cli.Tests;

/// <summary>A tiny HTTP JSON-RPC endpoint answering from a function, for behaviour a real node will not show on demand.</summary>
public sealed class FakeRpcServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<string, JsonNode?, string> _respond;
    private readonly Task _loop;

    /// <summary>respond(method, id) returns the whole HTTP response body.</summary>
    public FakeRpcServer(Func<string, JsonNode?, string> respond)
    {
        _respond = respond;
        Port = FreePort.Get();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static string Result(JsonNode? id, JsonNode? result) =>
        new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["result"] = result }.ToJsonString();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = JsonNode.Parse(await reader.ReadToEndAsync())!;
            var body = Encoding.UTF8.GetBytes(_respond(request["method"]!.GetValue<string>(), request["id"]));
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
