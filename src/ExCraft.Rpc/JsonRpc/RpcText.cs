namespace ExCraft.Rpc.JsonRpc;

/// <summary>
/// Bounds on the text a response carries. An error that quotes the caller's input quotes a short
/// prefix of it, so a 1 MB method name cannot make a 1 MB error.
/// </summary>
public static class RpcText
{
    /// <summary>At most this many characters of an input are echoed back.</summary>
    public const int MaxEcho = 64;

    /// <summary>At most this many characters of any error message are sent.</summary>
    public const int MaxMessage = 512;

    /// <summary>The input, or its first <see cref="MaxEcho"/> characters followed by how long it was.</summary>
    public static string Echo(string? input)
    {
        if (input is null) return "";
        return input.Length <= MaxEcho ? input : $"{input[..Cut(input, MaxEcho)]}... ({input.Length} characters)";
    }

    /// <summary>A message cut to <see cref="MaxMessage"/> characters (a safety net for messages built elsewhere).</summary>
    public static string Message(string message) =>
        message.Length <= MaxMessage ? message : message[..Cut(message, MaxMessage)] + "... (cut)";

    // Never split a surrogate pair: half of one is not valid text.
    private static int Cut(string text, int length) => char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;
}
