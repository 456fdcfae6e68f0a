using System.Text.Json;

namespace ExCraft.Core.Genesis;

/// <summary>Reading genesis JSON fields with errors that name the field.</summary>
internal static class JsonFields
{
    /// <summary>A required property; its absence is an error naming it.</summary>
    public static JsonElement Field(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value)
            ? value
            : throw new FormatException($"missing field \"{name}\"");

    /// <summary>A required property read by <paramref name="read"/>; a wrong type or bad value is an error naming it.</summary>
    public static T Field<T>(this JsonElement obj, string name, Func<JsonElement, T> read)
    {
        var value = obj.Field(name);
        try
        {
            return read(value);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            throw new FormatException($"field \"{name}\": {e.Message}");
        }
    }

    /// <summary>An optional property read by <paramref name="read"/>, or the fallback when absent.</summary>
    public static T Or<T>(this JsonElement obj, string name, Func<JsonElement, T> read, T fallback) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out _) ? obj.Field(name, read) : fallback;

    public static string Text(JsonElement value) =>
        value.GetString() ?? throw new InvalidOperationException("expected a string, found null");
}
