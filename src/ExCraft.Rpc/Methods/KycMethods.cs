using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Modules.Kyc;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc.Methods;

/// <summary>The kyc module's methods (docs/rpc.md, docs/kyc.md): an account's KYC status and the KYC authorities.</summary>
public sealed class KycMethods(Blockchain chain)
{
    private KycQueries Queries => KycModule.Queries(chain.State);

    public void Register(RpcMethodRegistry registry)
    {
        // "verified" is as the next block sees it: an attestation counts while the chain is below its expiry height.
        registry.Add("kyc_status", 1, (p, _) => Status(Queries.Status(p.Address(0, "account"), chain.Head.Height + 1)));
        registry.Add("kyc_authorities", 0, (_, _) => new JsonArray(Queries.Authorities().Select(a => (JsonNode)a.ToString()).ToArray()));
    }

    private static JsonObject Status(KycStatusView s) => new()
    {
        ["account"] = s.Account.ToString(),
        ["registered"] = s.Registered,
        ["attested"] = s.Attestation is not null,
        ["expiryHeight"] = s.Attestation?.ExpiryHeight,
        ["expired"] = s.Attestation is { } a ? !a.ValidAt(s.Height) : null,
        ["authority"] = s.Attestation?.Authority.ToString(),
        ["attestedHeight"] = s.Attestation?.AttestedHeight,
        ["height"] = s.Height,
        ["verified"] = s.Verified,
    };
}
