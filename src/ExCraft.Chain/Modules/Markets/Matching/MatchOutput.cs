namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>
/// Where the engine appends what each call produced, in the order it happened. The caller reads
/// and clears it (one instance is reused to avoid allocation per call).
/// </summary>
public sealed class MatchOutput
{
    public List<Fill> Fills { get; } = [];
    public List<OrderEvent> Events { get; } = [];

    public void Clear()
    {
        Fills.Clear();
        Events.Clear();
    }
}
