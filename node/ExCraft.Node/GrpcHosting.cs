using System.Net;
using System.Net.Sockets;
using ExCraft.Grpc;
using ExCraft.Rpc.Methods;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ExCraft.Node;

/// <summary>
/// The gRPC API's place in the node (docs/grpc.md): its own Kestrel endpoint, HTTP/2 without
/// TLS, beside JSON-RPC in the same host. The port is --grpc-port; 0 turns gRPC off. Without
/// the option it follows the RPC port at the defaults' distance (9545 -> 9090, testnet 9600+i ->
/// 9145+i), so nodes started with distinct RPC ports get distinct gRPC ports with no new option;
/// a derived port that is taken only turns gRPC off with a warning, a chosen one stops the start.
/// </summary>
public static class GrpcHosting
{
    public const int DefaultPort = 9090;
    public const int DefaultRpcPort = 9545;

    /// <summary>Adds the endpoint and the services; returns the port, or null when gRPC is off.</summary>
    public static int? Add(WebApplicationBuilder builder, NodeOptions options, NodeInfo node, TextWriter output)
    {
        var port = ResolvePort(options, output);
        if (port is null) return null;
        var address = IPAddress.TryParse(options.GrpcHost, out var ip) ? ip : throw new NodeStartupException($"--grpc-host must be an IP address, got '{options.GrpcHost}'");
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port.Value, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddExCraftGrpc(node, new GrpcLimits());
        return port;
    }

    public static void Map(WebApplication app, NodeOptions options, int? port, TextWriter output)
    {
        if (port is not { } p) return;
        app.MapExCraftGrpc(p);
        // Said once listening, so it comes after the node's own banner.
        app.Lifetime.ApplicationStarted.Register(() => output.WriteLine($"gRPC: http://{options.GrpcHost}:{p} (HTTP/2 without TLS, server reflection on)"));
    }

    /// <summary>The port to serve gRPC on, or null when it is off (said on output when that was not asked for).</summary>
    public static int? ResolvePort(NodeOptions options, TextWriter output)
    {
        if (options.GrpcPort is { } chosen)
        {
            if (chosen == 0) return null;
            if (chosen is < 1 or > 65535) throw new NodeStartupException($"--grpc-port must be 1..65535, or 0 to turn gRPC off; got {chosen}");
            if (chosen == options.RpcPort || chosen == options.P2pPort) throw new NodeStartupException($"--grpc-port {chosen} is already the RPC or P2P port");
            return chosen;
        }
        var derived = options.RpcPort - (DefaultRpcPort - DefaultPort);
        if (derived is < 1024 or > 65535 || derived == options.P2pPort || !IsFree(options.GrpcHost, derived))
        {
            output.WriteLine($"warning: gRPC is off: its default port {derived} (the RPC port - {DefaultRpcPort - DefaultPort}) cannot be used here; choose one with --grpc-port");
            return null;
        }
        return derived;
    }

    private static bool IsFree(string host, int port)
    {
        if (!IPAddress.TryParse(host, out var address)) return true; // the Add step reports the bad host
        try
        {
            using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            // As Kestrel binds: connections of a previous run still in TIME_WAIT do not count as taken.
            probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            probe.Bind(new IPEndPoint(address, port));
            probe.Listen();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
