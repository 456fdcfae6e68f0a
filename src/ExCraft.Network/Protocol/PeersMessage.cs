using System.Net;
using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Network.Protocol;

/// <summary>
/// Peer exchange payload: RLP list of [node id (20 bytes), IP (4 or 16 bytes), port (uint)].
/// Only addresses of nodes whose id is known are exchanged, so the dialer can check it.
/// </summary>
internal static class PeersMessage
{
    public static byte[] Encode(IEnumerable<(Address NodeId, IPEndPoint EndPoint)> peers) =>
        Rlp.EncodeList(peers.Select(p => Rlp.EncodeList(
            Rlp.EncodeBytes(p.NodeId.ToBytes()),
            Rlp.EncodeBytes(p.EndPoint.Address.GetAddressBytes()),
            Rlp.EncodeUInt((ulong)p.EndPoint.Port))));

    /// <summary>Throws <see cref="RlpException"/> for malformed input or more than <paramref name="maxEntries"/> entries.</summary>
    public static List<(Address NodeId, IPEndPoint EndPoint)> Decode(ReadOnlySpan<byte> payload, int maxEntries)
    {
        var items = Rlp.Decode(payload).Items;
        if (items.Count > maxEntries) throw new RlpException($"peers message holds {items.Count} addresses, more than {maxEntries}");
        var result = new List<(Address, IPEndPoint)>(items.Count);
        foreach (var item in items)
        {
            var fields = item.ListOf(3, "peer address");
            var id = new Address(fields[0].AsFixed(Address.Length, "node id"));
            var ipBytes = fields[1].Bytes;
            if (ipBytes.Length is not (4 or 16)) throw new RlpException($"IP address must be 4 or 16 bytes, got {ipBytes.Length}");
            var port = fields[2].AsUInt64();
            if (port is 0 or > 65535) throw new RlpException($"port {port} is out of range");
            var ip = new IPAddress(ipBytes);
            if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
            result.Add((id, new IPEndPoint(ip, (int)port)));
        }
        return result;
    }
}
