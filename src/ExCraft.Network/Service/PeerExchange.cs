using System.Net;
using System.Net.Sockets;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Network.Peers;
using ExCraft.Network.Protocol;

namespace ExCraft.Network.Service;

/// <summary>
/// Address exchange: answers GetPeers with connected and verified addresses (at most once per half
/// <see cref="NetworkOptions.PeerExchangeInterval"/> per peer; a faster asker is ignored, not penalized) and
/// takes addresses from a Peers reply only while our own request is outstanding.
/// </summary>
internal sealed class PeerExchange(NetworkRuntime runtime, PeerTable table, PeerBans bans, Action kick)
{
    private readonly NetworkOptions _options = runtime.Options;

    public void Handle(Peer peer, uint type, byte[] payload)
    {
        if (type == MessageTypes.GetPeers) AnswerGetPeers(peer, payload);
        else TakePeers(peer, payload);
    }

    private void AnswerGetPeers(Peer peer, byte[] payload)
    {
        if (payload.Length != 0)
        {
            peer.Penalize("GetPeers with a payload", 10);
            return;
        }
        if (!peer.TryServeGetPeers(_options.PeerExchangeInterval / 2))
        {
            // Not answered, not penalized: asking too often is speed, not abuse (an honest node may
            // be configured with a shorter interval), and an unanswered request costs us nothing.
            runtime.Log(NetworkLogLevel.Debug, $"GetPeers from {peer} ignored: asked again within {(_options.PeerExchangeInterval / 2).TotalSeconds:0.#} s");
            return;
        }
        List<(Address, IPEndPoint)> known;
        lock (table.Sync)
        {
            var connected = table.Connected.Values
                .Where(p => p != peer && p.ListenEndPoint is not null)
                .Select(p => (p.NodeId, EndPoint: p.ListenEndPoint!));
            var verified = table.Book.Entries
                .Where(e => e.Verified && e.NodeId is { } id && id != peer.NodeId && id != runtime.NodeId && !table.Connected.ContainsKey(id) && IPAddress.TryParse(e.Address.Host, out _))
                .Select(e => (NodeId: e.NodeId!.Value, EndPoint: new IPEndPoint(IPAddress.Parse(e.Address.Host), e.Address.Port)));
            known = [.. connected.Concat(verified)
                .DistinctBy(p => p.NodeId)
                .OrderBy(_ => Random.Shared.Next())
                .Take(_options.MaxPeersPerMessage)];
        }
        peer.TrySend(Envelope.Encode(MessageTypes.Peers, PeersMessage.Encode(known)), MessagePriority.Normal);
    }

    private void TakePeers(Peer peer, byte[] payload)
    {
        if (!peer.TakePeersRequest())
        {
            peer.Penalize("unsolicited Peers message", 5);
            return;
        }
        List<(Address NodeId, IPEndPoint EndPoint)> addresses;
        try
        {
            addresses = PeersMessage.Decode(payload, _options.MaxPeersPerMessage);
        }
        catch (RlpException e)
        {
            peer.Penalize($"malformed Peers message: {e.Message}", 20);
            return;
        }
        var added = 0;
        lock (table.Sync)
        {
            foreach (var (id, endPoint) in addresses)
            {
                if (id == runtime.NodeId || id == peer.NodeId || !IsDialable(endPoint) || bans.IsBanned(id, out _)) continue;
                if (table.Book.TryAddLearned(id, endPoint)) added++;
            }
        }
        if (added > 0)
        {
            runtime.Log(NetworkLogLevel.Debug, $"learned {added} address(es) from {peer}");
            kick();
        }
    }

    private static bool IsDialable(IPEndPoint endPoint)
    {
        var ip = endPoint.Address;
        if (endPoint.Port == 0 || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.Broadcast)) return false;
        if (ip.AddressFamily == AddressFamily.InterNetworkV6) return !ip.IsIPv6Multicast;
        var first = ip.GetAddressBytes()[0];
        return first is not (0 or >= 224);
    }
}
