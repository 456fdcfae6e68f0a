using System.Text.Json;
using System.Text.Unicode;
using System.Text.Json.Nodes;
using ExCraft.Chain.Mempool;
using ExCraft.Core.Encoding;
using Microsoft.Extensions.Logging;

namespace ExCraft.Rpc.JsonRpc;

/// <summary>
/// Turns JSON-RPC 2.0 requests (single or batch) into responses. The raw transactions of a batch
/// are submitted together so their signatures are recovered in parallel across cores.
/// </summary>
public sealed class JsonRpcDispatcher(RpcMethodRegistry methods, TransactionIngress ingress, RpcLimits limits, ILogger<JsonRpcDispatcher> logger)
{
    public const string SendRawTransaction = "ext_sendRawTransaction";

    /// <summary>Deepest nesting of arrays and objects a request may have.</summary>
    public const int MaxDepth = 32;

    /// <summary>Handles one request body; returns null when nothing is to be sent back (only notifications).</summary>
    /// <remarks>The body is only read during the call (no copy is kept).</remarks>
    public JsonNode? Handle(ReadOnlyMemory<byte> body, RpcCallContext context)
    {
        try
        {
            return HandleBody(body, context);
        }
        catch (Exception e)
        {
            // Per-call errors are answered inside; anything reaching here is a bug, logged, never a dropped connection.
            logger.LogError(e, "internal error while handling an RPC request body");
            return Error(null, RpcErrorCodes.InternalError, "internal error");
        }
    }

    private JsonNode? HandleBody(ReadOnlyMemory<byte> body, RpcCallContext context)
    {
        // JSON text is UTF-8 (RFC 8259). The parser checks strings only when they are read, which
        // would surface as a parameter error deep inside a method; refuse the whole body here.
        if (!Utf8.IsValid(body.Span))
            return Error(null, RpcErrorCodes.ParseError, $"parse error: the body is not valid UTF-8 (first bad byte at offset {FirstInvalidUtf8(body.Span)})");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            return Error(null, RpcErrorCodes.ParseError, $"parse error: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array) return HandleOne(root, context, null);
            var count = root.GetArrayLength();
            if (count == 0) return Error(null, RpcErrorCodes.InvalidRequest, "empty batch");
            if (count > limits.MaxBatchSize) return Error(null, RpcErrorCodes.LimitExceeded, $"batch of {count} requests exceeds the limit of {limits.MaxBatchSize}");
            var requests = root.EnumerateArray().ToArray();
            var submitted = SubmitRawTransactions(requests);
            var responses = new JsonArray();
            for (var i = 0; i < requests.Length; i++)
            {
                if (HandleOne(requests[i], context, submitted.GetValueOrDefault(i)) is { } response) responses.Add(response);
            }
            return responses.Count == 0 ? null : responses;
        }
    }

    /// <summary>Submits all well-formed ext_sendRawTransaction calls of a batch at once, by request index.</summary>
    private Dictionary<int, SubmitResult> SubmitRawTransactions(JsonElement[] requests)
    {
        var indexes = new List<int>();
        var raws = new List<byte[]>();
        for (var i = 0; i < requests.Length; i++)
        {
            var r = requests[i];
            if (r.ValueKind == JsonValueKind.Object && r.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String && m.GetString() == SendRawTransaction
                && r.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Array && p.GetArrayLength() == 1
                && p[0].ValueKind == JsonValueKind.String && Hex.TryDecode(p[0].GetString(), out var raw, out _))
            {
                indexes.Add(i);
                raws.Add(raw);
            }
        }
        var results = new Dictionary<int, SubmitResult>();
        if (raws.Count < 2) return results;
        var outcomes = ingress.SubmitBatch(raws);
        for (var k = 0; k < indexes.Count; k++) results[indexes[k]] = outcomes[k];
        return results;
    }

    private JsonNode? HandleOne(JsonElement request, RpcCallContext context, SubmitResult? presubmitted)
    {
        JsonNode? id = null;
        try
        {
            if (request.ValueKind != JsonValueKind.Object) return Error(null, RpcErrorCodes.InvalidRequest, "a request must be a JSON object");
            var hasId = request.TryGetProperty("id", out var idElement);
            if (hasId)
            {
                if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
                    return Error(null, RpcErrorCodes.InvalidRequest, "id must be a string, a number or null");
                id = JsonNode.Parse(idElement.GetRawText());
            }
            if (!request.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
                return Error(id, RpcErrorCodes.InvalidRequest, "jsonrpc must be \"2.0\"");
            if (!request.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
                return Error(id, RpcErrorCodes.InvalidRequest, "method must be a string");
            var method = methodElement.GetString()!;
            if (!methods.TryGet(method, out var handler)) return hasId ? Error(id, RpcErrorCodes.MethodNotFound, $"method not found: {RpcText.Echo(method)}") : null;
            JsonNode? result = presubmitted is not null
                ? ExtMethodsResults.FromSubmit(presubmitted)
                : handler(new RpcParams(method, request.TryGetProperty("params", out var p) ? p : null), context);
            return hasId ? new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result } : null;
        }
        catch (RpcException e)
        {
            return Error(id, e.Code, e.Message, e.ErrorData);
        }
        catch (Exception e) when (IsBadInput(e))
        {
            return Error(id, RpcErrorCodes.InvalidParams, e.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "internal error while handling an RPC request");
            return Error(id, RpcErrorCodes.InternalError, "internal error");
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done) return offset;
            offset += consumed;
        }
        return -1;
    }

    public static JsonObject Error(JsonNode? id, int code, string message, object? data = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = RpcText.Message(message) };
        if (data is not null) error["data"] = JsonSerializer.SerializeToNode(data);
        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = error };
    }

    /// <summary>Exceptions that mean the caller's input was bad (answered as invalid params), shared with the gRPC interceptor.</summary>
    public static bool IsBadInput(Exception e) => e is FormatException or ArgumentException or OverflowException or InvalidOperationException;
}
