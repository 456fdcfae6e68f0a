using ExCraft.Chain.State;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>
/// The buyback parameters in state. Stored only when they differ from the defaults, so a chain
/// that never changes them keeps the state (and app hash) it had before they became parameters.
/// </summary>
public static class MarketParams
{
    public static MarketParameters Read(IStateReader reader) =>
        reader.Get(MarketsKeys.Parameters) is { } v ? MarketParameters.Decode(Core.Encoding.Rlp.Decode(v)) : MarketParameters.Default;

    public static void Write(StateOverlay state, MarketParameters parameters)
    {
        if (!parameters.IsDefault) state.Set(MarketsKeys.Parameters, parameters.Encode());
        else if (state.Get(MarketsKeys.Parameters) is not null) state.Delete(MarketsKeys.Parameters); // back to the defaults: no key, as at genesis
    }
}
