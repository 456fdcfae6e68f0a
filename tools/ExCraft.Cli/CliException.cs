namespace ExCraft.Cli;

/// <summary>A failure reported as one "excraft: ..." line on stderr and the given exit code.</summary>
public class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException NotFound(string message) => new(ExitCodes.NotFound, message);
}

/// <summary>The node could not be reached or did not answer with JSON-RPC (exit code 2).</summary>
public sealed class RpcTransportException(string message) : CliException(ExitCodes.Unreachable, message);

/// <summary>The node answered a call with a JSON-RPC error object (exit code 3).</summary>
public sealed class RpcCallException(string method, int code, string nodeMessage, string? reason)
    : CliException(ExitCodes.Rejected, $"node error {code}{(reason is null ? "" : $" ({reason})")}: {nodeMessage}")
{
    public string Method { get; } = method;
    public int Code { get; } = code;
    public string NodeMessage { get; } = nodeMessage;
    /// <summary>The error's data.reason, e.g. "insufficient_funds" for a rejected transaction.</summary>
    public string? Reason { get; } = reason;
}
