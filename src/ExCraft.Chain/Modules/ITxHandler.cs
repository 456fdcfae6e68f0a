using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules;

/// <summary>An amount of one asset, in base units.</summary>
public readonly record struct AssetAmount(string Asset, UInt128 Amount);

/// <summary>
/// What the executor and the mempool need of one transaction kind. Implement it through
/// <see cref="TxHandler{TPayload}"/>; decoding is the payload record's (ExCraft.Core, because
/// every layer decodes transactions), everything else is here.
/// </summary>
public interface ITxHandler
{
    TxKind Kind { get; }

    Type PayloadType { get; }

    /// <summary>Checks that need no state (ranges, formats); an error text, or null when fine.</summary>
    string? CheckStateless(TxPayload payload);

    /// <summary>Applies the payload; throws TransactionFailedException (or InsufficientFundsException) to fail it, fee still paid.</summary>
    void Apply(TxContext context, TxPayload payload);

    /// <summary>What the payload may take from the sender's balances besides the fee (the mempool's affordability check).</summary>
    IReadOnlyList<AssetAmount> Spend(TxPayload payload);

    /// <summary>
    /// The spend the mempool checks, which may read committed state for facts that never change
    /// once set (a market's price scale), so a pending transaction's spend stays the same from
    /// admission to removal. By default the stateless <see cref="Spend(TxPayload)"/>.
    /// </summary>
    IReadOnlyList<AssetAmount> Spend(IStateReader state, TxPayload payload);

    /// <summary>
    /// Who pays the fee in a block at this height: the sender, unless the kind names another
    /// account that has agreed to pay (an agent key's authorizing account, docs/markets.md).
    /// </summary>
    Address FeePayer(IStateReader state, TxPayload payload, Address sender, ulong height);
}

/// <summary>The base of every handler: one class per kind, typed by its payload record.</summary>
public abstract class TxHandler<TPayload> : ITxHandler where TPayload : TxPayload
{
    private static readonly TxKind PayloadKind = TxPayloadCatalog.KindOf(typeof(TPayload));

    public TxKind Kind => PayloadKind;

    public Type PayloadType => typeof(TPayload);

    protected virtual string? CheckStateless(TPayload payload) => null;

    protected abstract void Apply(TxContext context, TPayload payload);

    /// <summary>Every handler declares its spend, even when it is nothing ([]).</summary>
    protected abstract IReadOnlyList<AssetAmount> Spend(TPayload payload);

    protected virtual IReadOnlyList<AssetAmount> Spend(IStateReader state, TPayload payload) => Spend(payload);

    protected virtual Address FeePayer(IStateReader state, TPayload payload, Address sender, ulong height) => sender;

    string? ITxHandler.CheckStateless(TxPayload payload) => CheckStateless((TPayload)payload);

    void ITxHandler.Apply(TxContext context, TxPayload payload) => Apply(context, (TPayload)payload);

    IReadOnlyList<AssetAmount> ITxHandler.Spend(TxPayload payload) => Spend((TPayload)payload);

    IReadOnlyList<AssetAmount> ITxHandler.Spend(IStateReader state, TxPayload payload) => Spend(state, (TPayload)payload);

    Address ITxHandler.FeePayer(IStateReader state, TxPayload payload, Address sender, ulong height) => FeePayer(state, (TPayload)payload, sender, height);
}
