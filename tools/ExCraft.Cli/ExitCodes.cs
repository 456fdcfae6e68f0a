namespace ExCraft.Cli;

/// <summary>The process exit codes of <c>excraft</c> (also listed by <c>excraft --help</c> and docs/cli.md).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Usage = 1;
    public const int Unreachable = 2;
    public const int Rejected = 3;
    public const int WrongPassword = 4;
    public const int NotFound = 5;
    public const int TimedOut = 6;
    public const int VerificationFailed = 7;

    public static readonly IReadOnlyList<(int Code, string Meaning)> All =
    [
        (Success, "success"),
        (Usage, "usage error or bad argument (unknown option, bad address checksum, bad amount, ...)"),
        (Unreachable, "cannot reach the node (connection refused, HTTP or transport error)"),
        (Rejected, "the node rejected the transaction or answered with a JSON-RPC error (its code and message are printed)"),
        (WrongPassword, "wrong keystore password"),
        (NotFound, "not found (transaction, block, key, asset, validator, market or open order)"),
        (TimedOut, "timed out waiting for a transaction to be included"),
        (VerificationFailed, "a verification found that the chain's published data breaks the rules (excraft poe verify)"),
    ];
}
