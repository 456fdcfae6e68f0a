using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExCraft.Swaps.Engine;

/// <summary>
/// The CLI's event store: one JSON-lines file per swap (<c>&lt;dir&gt;/&lt;swap id&gt;.jsonl</c>),
/// each event appended and fsync'd before the engine acts on it. A last line cut short by a crash
/// mid-write is ignored when read (it was never acted on) and overwritten by the next append.
/// </summary>
public sealed class SwapStore
{
    public SwapStore(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Directory { get; }

    public string PathOf(string swapId)
    {
        if (swapId.Length == 0 || !swapId.All(char.IsAsciiHexDigit)) throw new ArgumentException($"not a swap id: {swapId}");
        return Path.Combine(Directory, swapId.ToLowerInvariant() + ".jsonl");
    }

    public bool Exists(string swapId) => File.Exists(PathOf(swapId));

    /// <summary>Every swap in the store, by id (ordinal order).</summary>
    public IReadOnlyList<string> SwapIds() =>
        System.IO.Directory.GetFiles(Directory, "*.jsonl").Select(p => Path.GetFileNameWithoutExtension(p)!)
            .Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<SwapEvent> Read(string swapId)
    {
        var path = PathOf(swapId);
        if (!File.Exists(path)) throw new FileNotFoundException($"no swap {swapId} in {Directory}");
        return ReadComplete(path).Events;
    }

    /// <summary>Appends one event and waits for it to reach the disk.</summary>
    public SwapEvent Append(string swapId, string type, JsonObject data)
    {
        var path = PathOf(swapId);
        var (events, validLength) = File.Exists(path) ? ReadComplete(path) : ([], 0);
        var e = new SwapEvent(events.Count + 1, type, data);
        var line = Encoding.UTF8.GetBytes(e.ToJson().ToJsonString() + "\n");
        using (var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read))
        {
            file.SetLength(validLength); // drops a torn last line, if a crash left one
            file.Seek(validLength, SeekOrigin.Begin);
            file.Write(line);
            file.Flush(flushToDisk: true);
        }
        return e;
    }

    private static (List<SwapEvent> Events, long ValidLength) ReadComplete(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<SwapEvent>();
        long valid = 0;
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)'\n') continue;
            var text = Encoding.UTF8.GetString(bytes, start, i - start);
            JsonObject o;
            try
            {
                o = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: line {events.Count + 1} is not an event: {e.Message}");
            }
            events.Add(SwapEvent.FromJson(o));
            start = i + 1;
            valid = start;
        }
        return (events, valid); // bytes after the last newline are a torn write
    }
}
