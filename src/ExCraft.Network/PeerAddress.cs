using System.Globalization;
using System.Net;
using ExCraft.Core;

namespace ExCraft.Network;

/// <summary>
/// Where to dial a peer: "host:port" or "nodeid@host:port" (node id in bech32 "ext1..." or 0x-hex;
/// IPv6 hosts in brackets, "[::1]:26656"). With a node id, the handshake rejects any other node
/// answering at that address.
/// </summary>
public sealed record PeerAddress(Address? NodeId, string Host, int Port)
{
    public static PeerAddress Parse(string text)
    {
        if (!TryParse(text, out var address, out var error)) throw new FormatException(error);
        return address;
    }

    public static bool TryParse(string? text, out PeerAddress address, out string error)
    {
        address = null!;
        if (string.IsNullOrWhiteSpace(text)) { error = "peer address is empty"; return false; }
        text = text.Trim();
        Address? nodeId = null;
        var at = text.IndexOf('@');
        if (at >= 0)
        {
            if (!Address.TryParse(text[..at], out var id, out var idError)) { error = $"peer address '{text}': node id: {idError}"; return false; }
            nodeId = id;
            text = text[(at + 1)..];
        }

        string host;
        string portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':') { error = $"peer address '{text}': expected [ipv6]:port"; return false; }
            host = text[1..close];
            portText = text[(close + 2)..];
            if (!IPAddress.TryParse(host, out _)) { error = $"peer address '{text}': '{host}' is not an IPv6 address"; return false; }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0) { error = $"peer address '{text}': expected host:port"; return false; }
            host = text[..colon];
            portText = text[(colon + 1)..];
            if (host.Contains(':')) { error = $"peer address '{text}': put IPv6 addresses in brackets, [addr]:port"; return false; }
            if (!IsValidHostName(host)) { error = $"peer address '{text}': '{host}' is not a valid host"; return false; }
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"peer address '{text}': port must be 1..65535, got '{portText}'";
            return false;
        }
        address = new PeerAddress(nodeId, host, port);
        error = "";
        return true;
    }

    public static PeerAddress FromEndPoint(Address? nodeId, IPEndPoint endPoint) =>
        new(nodeId, endPoint.Address.ToString(), endPoint.Port);

    /// <summary>"host:port" without the node id; the key for address de-duplication.</summary>
    public string EndPointText => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    public override string ToString() => NodeId is { } id ? $"{id}@{EndPointText}" : EndPointText;

    private static bool IsValidHostName(string host)
    {
        if (host.Length is 0 or > 253) return false;
        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')) return false;
        }
        return true;
    }
}
