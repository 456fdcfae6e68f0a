using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>
/// Agent keys (kinds 26-28) on a real chain: an authorized key trades for its account, which pays
/// the fee, with the agent's own nonce; it can do nothing else; unauthorized, revoked and expired
/// agents are refused with their own errors and change nothing for the account.
/// </summary>
public sealed class ModuleAgentTests : IDisposable
{
    private readonly ModuleTestKit _k = new();
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 GoldUnit = Amount.FromWhole(1, 6);
    private const string EXT = AssetSymbol.Native;
    // A key with no funds at all: the agent of account 1.
    private static readonly PrivateKey AgentKey = DevKeys.Account(9);
    private ulong _agentNonce;

    public void Dispose() => _k.Dispose();

    private Transaction AgentTx(PrivateKey key, Address account, TxPayload action, ulong nonce) =>
        Transaction.Create(TestChain.ChainId, nonce, TestChain.MinFee, new AgentActionPayload(account, action), key);

    private Receipt AgentDoes(TxPayload action) => _k.Block(AgentTx(AgentKey, Accounts[1], action, _agentNonce++)).Single();

    private sealed record Holdings(UInt128 Ext, UInt128 Gold, UInt128 LockedGold, ulong Nonce, int Orders);

    private Holdings Of(int account) => new(_k.Balance(account, EXT), _k.Balance(account, Gold), _k.Locked(account, Gold),
        _k.Chain.Nonce(Accounts[account]), _k.Queries.OpenOrders(Accounts[account]).Count);

    private ulong Height => _k.Chain.Chain.Head.Height;

    [Fact]
    public void An_authorized_agent_places_amends_batches_and_cancels_for_the_account_which_pays_the_fees()
    {
        var expiry = Height + 100;
        var authorize = _k.One(1, new AuthorizeAgentPayload(AgentKey.Address, expiry));
        Assert.True(authorize.Success, authorize.Error);
        Assert.Equal([(AgentKey.Address, expiry)], _k.Queries.Agents(Accounts[1]));
        var start = Of(1);

        var place = AgentDoes(Limit(EXT, false, 2 * Ext, 10 * GoldUnit, clientId: 11));
        Assert.True(place.Success, place.Error);
        var order = Assert.Single(_k.Queries.OpenOrders(Accounts[1])).Order;
        Assert.Equal((Accounts[1], 11ul), (order.Account, order.ClientOrderId));
        Assert.Equal(10 * GoldUnit, _k.Locked(1, Gold));
        Assert.Equal(start with { Ext = start.Ext - TestChain.MinFee, Gold = start.Gold - 10 * GoldUnit, LockedGold = 10 * GoldUnit, Orders = 1 }, Of(1));
        Assert.Equal(UInt128.Zero, _k.Chain.Balance(AgentKey.Address));
        Assert.Equal(1ul, _k.Chain.Nonce(AgentKey.Address)); // the agent's own nonce; the account's did not move

        Assert.True(AgentDoes(new AmendOrderPayload(Gold, EXT, order.Id, 2 * Ext, 6 * GoldUnit)).Success);
        Assert.Equal(6 * GoldUnit, _k.Locked(1, Gold));
        Assert.True(AgentDoes(new BatchOrdersPayload([new CancelOrderPayload(Gold, EXT, order.Id, 0), Limit(EXT, false, 3 * Ext, 4 * GoldUnit)])).Success);
        Assert.Equal(4 * GoldUnit, _k.Locked(1, Gold));
        var deadline = Height + 50;
        Assert.True(AgentDoes(new SetCancelDeadlinePayload(deadline)).Success);
        Assert.Equal(deadline, MarketsState.ReadDeadline(_k.Chain.Chain.State, Accounts[1]));
        Assert.True(AgentDoes(new CancelAllPayload("", "")).Success);

        Assert.Equal(start with { Ext = start.Ext - 5 * TestChain.MinFee }, Of(1));
        Assert.Equal(UInt128.Zero, _k.Chain.Balance(AgentKey.Address));
        Assert.Equal(5ul, _k.Chain.Nonce(AgentKey.Address));
    }

    [Fact]
    public void An_agent_cannot_transfer_withdraw_or_authorize_for_the_account()
    {
        Assert.True(_k.One(1, new AuthorizeAgentPayload(AgentKey.Address, Height + 100)).Success);
        var before = Of(1);
        foreach (var action in new TxPayload[]
                 {
                     new TransferPayload(AgentKey.Address, EXT, Ext),
                     new TransferPayload(AgentKey.Address, Gold, GoldUnit),
                     new AuthorizeAgentPayload(Accounts[3], Height + 100),
                     new HtlcLockPayload(AgentKey.Address, EXT, Ext, new byte[32], Height + 100, AgentKey.Address),
                 })
        {
            var result = _k.Chain.Submit(AgentTx(AgentKey, Accounts[1], action, 0));
            Assert.False(result.Accepted);
            Assert.Equal(RejectReason.Malformed, result.Reason);
            Assert.Equal($"an agent key may only place, cancel, amend, batch, cancel_all and set_cancel_deadline for its account, not {action.Name}", result.Error);
        }
        Assert.Equal(0, _k.Chain.Mempool.Count);
        Assert.Equal(before, Of(1));
        Assert.Equal(UInt128.Zero, _k.Chain.Balance(AgentKey.Address));
    }

    [Fact]
    public void An_unauthorized_agent_is_refused_and_pays_its_own_fee()
    {
        // Without funds it cannot even pay the fee, so the mempool turns it away.
        var unfunded = _k.Chain.Submit(AgentTx(AgentKey, Accounts[1], Limit(EXT, false, 2 * Ext, GoldUnit), 0));
        Assert.False(unfunded.Accepted);
        Assert.Equal(RejectReason.InsufficientFunds, unfunded.Reason);

        // Account 3 has funds but no authorization from account 1: included, failed, its own fee.
        var before = Of(1);
        var receipt = _k.Block(AgentTx(TestChain.Key(3), Accounts[1], Limit(EXT, false, 2 * Ext, GoldUnit), 0)).Single();
        Assert.False(receipt.Success);
        Assert.Equal($"{Accounts[3]} is not an authorized agent of {Accounts[1]} (never authorized, or revoked)", receipt.Error);
        Assert.Equal(before, Of(1));
        Assert.Equal(TestChain.StartBalance - TestChain.MinFee, _k.Balance(3, EXT));
    }

    [Fact]
    public void A_revoked_agent_is_refused_at_once()
    {
        Assert.True(_k.One(1, new AuthorizeAgentPayload(Accounts[3], Height + 100)).Success);
        Assert.True(_k.Block(AgentTx(TestChain.Key(3), Accounts[1], Limit(EXT, false, 2 * Ext, GoldUnit), 0)).Single().Success);
        Assert.Equal(TestChain.StartBalance, _k.Balance(3, EXT)); // account 1 paid

        Assert.True(_k.One(1, new RevokeAgentPayload(Accounts[3])).Success);
        Assert.Empty(_k.Queries.Agents(Accounts[1]));
        var before = Of(1);
        var receipt = _k.Block(AgentTx(TestChain.Key(3), Accounts[1], new CancelAllPayload("", ""), 1)).Single();
        Assert.False(receipt.Success);
        Assert.Contains("is not an authorized agent", receipt.Error);
        Assert.Equal(before, Of(1));
        Assert.Equal(TestChain.StartBalance - TestChain.MinFee, _k.Balance(3, EXT));

        var again = _k.One(1, new RevokeAgentPayload(Accounts[3]));
        Assert.False(again.Success);
        Assert.Equal($"{Accounts[3]} is not an agent of {Accounts[1]}", again.Error);
    }

    [Fact]
    public void An_expired_agent_is_refused_and_its_account_pays_nothing()
    {
        var expiry = Height + 3;
        Assert.True(_k.One(1, new AuthorizeAgentPayload(Accounts[3], expiry)).Success);
        while (Height + 2 < expiry) _k.Chain.ProduceBlock(); // bounded: one block at most
        Assert.True(_k.Block(AgentTx(TestChain.Key(3), Accounts[1], Limit(EXT, false, 2 * Ext, GoldUnit), 0)).Single().Success); // the last block below expiry
        Assert.Equal(expiry, Height + 1);

        var before = Of(1);
        var receipt = _k.Block(AgentTx(TestChain.Key(3), Accounts[1], new CancelAllPayload("", ""), 1)).Single();
        Assert.Equal(expiry, Height);
        Assert.False(receipt.Success);
        Assert.Equal($"the agent authorization of {Accounts[3]} for {Accounts[1]} expired at height {expiry}", receipt.Error);
        Assert.Equal(before, Of(1));
        Assert.Equal(TestChain.StartBalance - TestChain.MinFee, _k.Balance(3, EXT));
    }

    [Fact]
    public void Authorizations_are_checked()
    {
        var self = _k.One(1, new AuthorizeAgentPayload(Accounts[1], Height + 10));
        Assert.Equal("an account cannot be its own agent", self.Error);
        var past = _k.One(1, new AuthorizeAgentPayload(Accounts[3], Height + 1));
        Assert.Equal($"agent expiry height {Height} is not above the current block {Height}", past.Error);
        for (var i = 0; i < AuthorizeAgentHandlerLimit; i++) Assert.True(_k.One(1, new AuthorizeAgentPayload(DevKeys.Account(20 + i).Address, Height + 10)).Success);
        var tooMany = _k.One(1, new AuthorizeAgentPayload(Accounts[3], Height + 10));
        Assert.Contains($"(limit {AuthorizeAgentHandlerLimit})", tooMany.Error);
        // Re-authorizing an existing agent replaces its expiry and is not a new agent.
        var later = Height + 40;
        Assert.True(_k.One(1, new AuthorizeAgentPayload(DevKeys.Account(20).Address, later)).Success);
        Assert.Equal(later, _k.Queries.Agents(Accounts[1]).Single(a => a.Agent == DevKeys.Account(20).Address).ExpiryHeight);
        Assert.Equal(AuthorizeAgentHandlerLimit, _k.Queries.Agents(Accounts[1]).Count);
    }

    private const int AuthorizeAgentHandlerLimit = Modules.Markets.Handlers.AuthorizeAgentHandler.MaxAgentsPerAccount;
}
