using ExCraft.Chain;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.Modules.Accounts;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using ExCraft.Rpc.JsonRpc;
using Grpc.Core;
using V1 = ExCraft.Grpc.V1;

namespace ExCraft.Grpc;

/// <summary>
/// excraft.v1.AccountsService: the accounts module's typed queries (the ones JSON-RPC's
/// ext_getBalance, ext_getBalances, ext_getNonce, ext_getAsset and ext_listAssets map to JSON),
/// mapped to messages.
/// </summary>
public sealed class AccountsGrpcService(Blockchain chain, TransactionPool mempool) : V1.AccountsService.AccountsServiceBase
{
    private AccountsQueries Queries => new(chain.State);

    public override Task<V1.Balance> GetBalance(V1.GetBalanceRequest request, ServerCallContext context)
    {
        var account = GrpcArguments.Address(request.Address, "address");
        var symbol = request.Asset.Length == 0 ? AssetSymbol.Native : request.Asset;
        var balance = Queries.Balance(account, symbol) ?? throw GrpcStatus.InvalidArgument($"unknown asset {RpcText.Echo(symbol)}");
        return Task.FromResult(Balance(balance));
    }

    public override Task<V1.Balances> GetBalances(V1.GetBalancesRequest request, ServerCallContext context)
    {
        var message = new V1.Balances();
        message.Balances_.AddRange(Queries.Balances(GrpcArguments.Address(request.Address, "address")).Select(Balance));
        return Task.FromResult(message);
    }

    public override Task<V1.Nonce> GetNonce(V1.GetNonceRequest request, ServerCallContext context)
    {
        var account = GrpcArguments.Address(request.Address, "address");
        return Task.FromResult(new V1.Nonce { Nonce_ = request.Pending ? mempool.NextNonce(account) : Queries.Nonce(account) });
    }

    public override Task<V1.Asset> GetAsset(V1.GetAssetRequest request, ServerCallContext context) =>
        Task.FromResult(Asset(Queries.Asset(request.Symbol) ?? throw GrpcStatus.NotFound($"asset {RpcText.Echo(request.Symbol)} not found")));

    public override Task<V1.Assets> ListAssets(V1.ListAssetsRequest request, ServerCallContext context)
    {
        var message = new V1.Assets();
        message.Assets_.AddRange(Queries.Assets().Select(Asset));
        return Task.FromResult(message);
    }

    private static V1.Balance Balance(AccountBalance b) => new()
    {
        Address = b.Account.ToString(),
        Asset = b.Asset,
        Balance_ = ChainMessages.Units(b.Balance),
        Decimals = b.Decimals,
        Formatted = Amount.Format(b.Balance, b.Decimals),
    };

    private static V1.Asset Asset(AssetInfo a) => new()
    {
        Symbol = a.Symbol,
        Decimals = a.Decimals,
        Supply = ChainMessages.Units(a.Supply),
        Issuer = a.Issuer.ToString(),
        IssuedAtHeight = a.IssuedAtHeight,
    };
}
