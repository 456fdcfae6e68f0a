namespace ExCraft.Core.Encoding;

/// <summary>Malformed or non-canonical RLP input.</summary>
public sealed class RlpException(string message) : FormatException(message);
