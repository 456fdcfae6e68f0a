using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Staking;
using ExCraft.Core;
using ExCraft.Core.Consensus;
using ExCraft.Core.Crypto;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests;

public sealed class StakingTests : IDisposable
{
    private TestChain _t = new();
    private static readonly Address Genesis = DevKeys.Validator.Address;

    public void Dispose() => _t.Dispose();

    private static PrivateKey ConsensusKey(int i) => TestChain.Key(10 + i);

    private IReadOnlyList<Receipt> Run(params Transaction[] txs)
    {
        foreach (var tx in txs) Assert.True(_t.Submit(tx).Accepted, _t.Submit(tx).Error);
        var (block, receipts) = _t.ProduceBlock();
        Assert.Equal(txs.Length, block.Transactions.Count);
        return receipts;
    }

    private Transaction Tx(int from, TxPayload payload) => _t.Sign(from, payload, _t.Mempool.NextNonce(TestChain.Key(from).Address));

    private Transaction CreateValidator(int account, ulong selfBondWhole) =>
        Tx(account, new CreateValidatorPayload(ConsensusKey(account).PublicKey.Compressed, $"v{account}", 50_000, 200_000, 10_000, Amount.FromWhole(selfBondWhole)));

    /// <summary>Produces empty blocks until the active set has changed (bounded).</summary>
    private ActiveSet NextEpoch()
    {
        var before = ExCraft.Chain.Modules.EpochClock.Read(_t.Chain.State).Epoch;
        for (var i = 0; i < 50 && ExCraft.Chain.Modules.EpochClock.Read(_t.Chain.State).Epoch == before; i++) _t.ProduceBlock();
        Assert.NotEqual(before, ExCraft.Chain.Modules.EpochClock.Read(_t.Chain.State).Epoch);
        return StakingState.ReadActiveSet(_t.Chain.State);
    }

    private static List<Address> Operators(ActiveSet set) => set.Validators.Select(v => v.Operator).ToList();

    [Fact]
    public void Genesis_validator_forms_the_first_set_with_power_equal_to_its_stake()
    {
        var set = StakingState.ReadActiveSet(_t.Chain.State);
        var v = Assert.Single(set.Validators);
        Assert.Equal(Genesis, v.Operator);
        Assert.Equal(100UL, v.Power);
        Assert.Equal(1UL, set.EffectiveHeight);
        var ext = State.AccountState.ReadAsset(_t.Chain.State, "EXT")!;
        Assert.Equal(TestChain.StartBalance * 4 + Amount.FromWhole(100), ext.Supply);
    }

    [Fact]
    public void Candidate_joins_at_the_next_epoch_and_delegation_reorders_the_set()
    {
        var receipts = Run(CreateValidator(0, 20), CreateValidator(1, 30), CreateValidator(2, 40));
        Assert.All(receipts, r => Assert.True(r.Success, r.Error));
        Assert.Equal(TestChain.StartBalance - Amount.FromWhole(20) - TestChain.MinFee, _t.Balance(TestChain.Key(0).Address));
        Assert.Single(StakingState.ReadActiveSet(_t.Chain.State).Validators); // not before the epoch ends

        var set = NextEpoch();
        // Max 3 validators: genesis (100), account 2 (40), account 1 (30); account 0 (20) waits.
        Assert.Equal([Genesis, TestChain.Key(2).Address, TestChain.Key(1).Address], Operators(set));
        Assert.Equal(40UL, set.Validators[1].Power);
        Assert.Equal(ConsensusKey(2).Address, set.Validators[1].ConsensusAddress);

        // Account 3 delegates 25 EXT to account 0, which now outweighs account 1.
        Assert.True(Run(Tx(3, new DelegatePayload(TestChain.Key(0).Address, Amount.FromWhole(25))))[0].Success);
        var next = NextEpoch();
        Assert.Equal([Genesis, TestChain.Key(0).Address, TestChain.Key(2).Address], Operators(next));
        Assert.Equal(45UL, next.Validators[1].Power);
        var update = Enumerable.Range(1, (int)_t.Chain.Head.Height).SelectMany(h => _t.Chain.GetBlockEvents((ulong)h)).Last(e => e.Type == "validator_set_updated");
        Assert.Equal(next.EffectiveHeight.ToString(), update.Get("effective_height"));
        Assert.Equal("185", update.Get("total_power"));
    }

    [Fact]
    public void Undelegation_returns_exactly_after_the_unbonding_period()
    {
        var alice = TestChain.Key(3).Address;
        Run(Tx(3, new DelegatePayload(Genesis, Amount.FromWhole(50))));
        var before = _t.Balance(alice);
        var receipt = Run(Tx(3, new UndelegatePayload(Genesis, Amount.FromWhole(15))))[0];
        Assert.True(receipt.Success, receipt.Error);
        Assert.Equal(before - TestChain.MinFee, _t.Balance(alice));
        Assert.Equal(Amount.FromWhole(135), StakingState.ReadValidator(_t.Chain.State, Genesis)!.Tokens);

        var completion = ulong.Parse(receipt.Events[0].Get("completion_ms")!);
        while (_t.Chain.Head.TimeMs < completion - 100) _t.ProduceBlock();
        Assert.Equal(before - TestChain.MinFee, _t.Balance(alice)); // not a block early
        _t.ProduceBlock();
        Assert.Equal(before - TestChain.MinFee + Amount.FromWhole(15), _t.Balance(alice));
        Assert.Contains(_t.Chain.GetBlockEvents(_t.Chain.Head.Height), e => e.Type == "unbonding_completed" && e.Get("amount") == Amount.FromWhole(15).ToString());
        Assert.Empty(_t.Chain.State.IteratePrefix(StakingKeys.UnbondingsOf(alice)));
    }

    [Fact]
    public void Undelegating_more_than_bonded_fails_and_changes_only_fee_and_nonce()
    {
        Run(CreateValidator(0, 50));
        var alice = TestChain.Key(0).Address;
        var receipt = Run(Tx(0, new UndelegatePayload(alice, Amount.FromWhole(51))))[0];
        Assert.False(receipt.Success);
        Assert.Contains("cannot withdraw", receipt.Error);
        Assert.Equal(Amount.FromWhole(50), StakingState.ReadValidator(_t.Chain.State, alice)!.Tokens);
    }

    [Fact]
    public void Double_sign_evidence_slashes_bonded_and_unbonding_stake_and_jails_for_good()
    {
        Run(CreateValidator(0, 100));
        var alice = TestChain.Key(0).Address;
        Run(Tx(0, new UndelegatePayload(alice, Amount.FromWhole(20))));
        NextEpoch();
        Assert.Contains(alice, Operators(StakingState.ReadActiveSet(_t.Chain.State)));
        var supply = State.AccountState.ReadAsset(_t.Chain.State, "EXT")!.Supply;

        var key = ConsensusKey(0);
        var a = Vote.Create(TestChain.ChainId, VoteType.Precommit, 5, 0, Enumerable.Repeat((byte)1, 32).ToArray(), key);
        var b = Vote.Create(TestChain.ChainId, VoteType.Precommit, 5, 0, Enumerable.Repeat((byte)2, 32).ToArray(), key);
        var receipt = Run(Tx(3, new SubmitEvidencePayload(new DoubleSignEvidence(a, b))))[0];
        Assert.True(receipt.Success, receipt.Error);

        var validator = StakingState.ReadValidator(_t.Chain.State, alice)!;
        Assert.True(validator.Jailed);
        Assert.True(validator.Tombstoned);
        Assert.Equal(Amount.FromWhole(80) - Amount.FromWhole(4), validator.Tokens); // 5% of 80 bonded
        var burned = Amount.FromWhole(4) + Amount.FromWhole(1); // and 5% of the 20 unbonding
        Assert.Equal(burned.ToString(), receipt.Events[0].Get("burned"));
        Assert.Equal(supply - burned, State.AccountState.ReadAsset(_t.Chain.State, "EXT")!.Supply);
        _t.ProduceBlock();
        Assert.DoesNotContain(alice, Operators(StakingState.ReadActiveSet(_t.Chain.State)));

        var again = Run(Tx(3, new SubmitEvidencePayload(new DoubleSignEvidence(a, b))))[0];
        Assert.Contains("already slashed", again.Error);
        var unjail = Run(Tx(0, new UnjailPayload()))[0];
        Assert.Contains("jailed for good", unjail.Error);
    }

    [Fact]
    public void Invalid_evidence_is_refused()
    {
        Run(CreateValidator(0, 100));
        var key = ConsensusKey(0);
        var hash = Enumerable.Repeat((byte)1, 32).ToArray();
        var a = Vote.Create(TestChain.ChainId, VoteType.Precommit, 5, 0, hash, key);
        var same = Run(Tx(3, new SubmitEvidencePayload(new DoubleSignEvidence(a, Vote.Create(TestChain.ChainId, VoteType.Precommit, 5, 0, hash, key)))))[0];
        Assert.Contains("same block", same.Error);
        var otherRound = Run(Tx(3, new SubmitEvidencePayload(new DoubleSignEvidence(a, Vote.Create(TestChain.ChainId, VoteType.Precommit, 5, 1, new byte[32], key)))))[0];
        Assert.Contains("different rounds", otherRound.Error);
        var forged = a with { Signature = TestChain.Key(3).Sign(new byte[32]) };
        var bad = Run(Tx(3, new SubmitEvidencePayload(DoubleSignEvidence.Create(forged, Vote.Create(TestChain.ChainId, VoteType.Precommit, 5, 0, new byte[32], key)))))[0];
        Assert.Contains("signature does not recover", bad.Error);
        var swapped = Run(Tx(3, new SubmitEvidencePayload(new DoubleSignEvidence(a, Vote.Create(TestChain.ChainId, VoteType.Precommit, 5, 0, new byte[32], key)))))[0];
        Assert.Contains("canonical order", swapped.Error);
        Assert.False(StakingState.ReadValidator(_t.Chain.State, TestChain.Key(0).Address)!.Jailed);
    }

    [Fact]
    public void Offline_validator_is_slashed_and_jailed_then_may_unjail_after_the_delay()
    {
        _t.Dispose();
        _t = new TestChain(staking: TestChain.Staking with { DowntimeWindowBlocks = 10 });
        Run(CreateValidator(0, 100));
        var alice = TestChain.Key(0).Address;
        NextEpoch();
        // Only the genesis validator signs commits here, so account 0 misses every block of its window.
        for (var i = 0; i < 15 && !StakingState.ReadValidator(_t.Chain.State, alice)!.Jailed; i++) _t.ProduceBlock();
        var validator = StakingState.ReadValidator(_t.Chain.State, alice)!;
        Assert.True(validator.Jailed);
        Assert.False(validator.Tombstoned);
        Assert.Equal(Amount.FromWhole(100) - Amount.FromWhole(100) / 10_000, validator.Tokens); // 0.01%
        Assert.False(StakingState.ReadValidator(_t.Chain.State, Genesis)!.Jailed);

        var early = Run(Tx(0, new UnjailPayload()))[0];
        Assert.Contains("jailed until", early.Error);
        while (_t.Chain.Head.TimeMs < validator.JailedUntilMs) _t.ProduceBlock();
        Assert.True(Run(Tx(0, new UnjailPayload()))[0].Success);
        Assert.False(StakingState.ReadValidator(_t.Chain.State, alice)!.Jailed);
        Assert.Contains(alice, Operators(NextEpoch()));
    }

    [Fact]
    public void Commission_changes_are_bounded_by_maximum_and_daily_change()
    {
        Run(CreateValidator(0, 50));
        Assert.Contains("already changed in the last 24 hours", Run(Tx(0, new EditValidatorPayload("renamed", 55_000)))[0].Error);
        Assert.True(Run(Tx(0, new EditValidatorPayload("renamed", 50_000)))[0].Success);
        Assert.Equal("renamed", StakingState.ReadValidator(_t.Chain.State, TestChain.Key(0).Address)!.Moniker);
        Assert.Contains("commission cannot exceed the maximum", _t.Submit(Tx(0, new CreateValidatorPayload(ConsensusKey(0).PublicKey.Compressed, "x", 300_000, 200_000, 1, 1))).Error);
    }

    [Fact]
    public void Redelegation_moves_stake_between_validators_at_once()
    {
        Run(CreateValidator(0, 20), CreateValidator(1, 20));
        Run(Tx(3, new DelegatePayload(TestChain.Key(0).Address, Amount.FromWhole(10))));
        Assert.True(Run(Tx(3, new RedelegatePayload(TestChain.Key(0).Address, TestChain.Key(1).Address, Amount.FromWhole(4))))[0].Success);
        Assert.Equal(Amount.FromWhole(26), StakingState.ReadValidator(_t.Chain.State, TestChain.Key(0).Address)!.Tokens);
        Assert.Equal(Amount.FromWhole(24), StakingState.ReadValidator(_t.Chain.State, TestChain.Key(1).Address)!.Tokens);
        var delegator = TestChain.Key(3).Address;
        var v0 = StakingState.ReadValidator(_t.Chain.State, TestChain.Key(0).Address)!;
        Assert.Equal(Amount.FromWhole(6), v0.TokensOf(StakingState.ReadShares(_t.Chain.State, delegator, v0.Operator)));
    }

    [Fact]
    public void A_consensus_key_cannot_serve_two_validators()
    {
        Run(CreateValidator(0, 20));
        var reuse = Tx(1, new CreateValidatorPayload(ConsensusKey(0).PublicKey.Compressed, "copy", 0, 0, 0, Amount.FromWhole(20)));
        Assert.Contains("already used", Run(reuse)[0].Error);
    }
}
