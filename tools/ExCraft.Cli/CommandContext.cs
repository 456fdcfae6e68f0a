using System.CommandLine;

namespace ExCraft.Cli;

/// <summary>
/// Everything one command invocation works with, resolved from the global options and the
/// environment: output, the node client (created on first use), the keystore and passwords.
/// </summary>
public sealed class CommandContext : IDisposable
{
    private readonly ParseResult _parse;
    private readonly CliOptions _options;
    private HttpClient? _http;
    private NodeClient? _node;

    public CommandContext(ParseResult parse, CliOptions options, CliEnvironment environment, CancellationToken cancel)
    {
        _parse = parse;
        _options = options;
        Environment = environment;
        Cancel = cancel;
        Output = new CliOutput(environment, parse.GetValue(options.Json));
    }

    public CliEnvironment Environment { get; }
    public CancellationToken Cancel { get; }
    public CliOutput Output { get; }

    /// <summary>The node at --rpc, else $EXCRAFT_RPC, else http://127.0.0.1:9545.</summary>
    public NodeClient Node => _node ??= CreateNodeClient();

    /// <summary>The keystore at --keystore, else $EXCRAFT_KEYSTORE, else ~/.excraft/keystore.</summary>
    public KeystoreDirectory Keystore => new(
        _parse.GetValue(_options.Keystore)
        ?? Environment.Variable(CliOptions.KeystoreVariable)
        ?? Path.Combine(Environment.HomeDirectory, ".excraft", "keystore"));

    /// <summary>Passwords from --password-file, $EXCRAFT_PASSWORD or a prompt (only for commands that have --password-file).</summary>
    public PasswordSource Passwords => new(_parse.GetValue(_options.PasswordFile), Environment);

    private NodeClient CreateNodeClient()
    {
        var text = _parse.GetValue(_options.Rpc) ?? Environment.Variable(CliOptions.RpcVariable) ?? CliOptions.DefaultRpc;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw CliException.Usage($"--rpc: '{text}' is not an http:// or https:// URL");
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // RpcClient applies its own per-request timeout
        return new NodeClient(new RpcClient(uri, _http), Cancel);
    }

    public void Dispose() => _http?.Dispose();
}
