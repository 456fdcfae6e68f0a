namespace ExCraft.Chain.State;

/// <summary>Reads state values by key; null means absent.</summary>
public interface IStateReader
{
    byte[]? Get(byte[] key);
}
