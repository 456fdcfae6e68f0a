using ExCraft.Chain.State;
using ExCraft.Storage;

namespace ExCraft.Chain.Store;

/// <summary>Reads the committed state straight from the store (the 'S' table).</summary>
public sealed class CommittedState(IKeyValueStore store) : IStateReader
{
    public byte[]? Get(byte[] key) => store.Get(ChainKeys.StateKey(key));

    public IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(byte[] prefix) =>
        store.IteratePrefix(ChainKeys.StateKey(prefix)).Select(kv => new KeyValuePair<byte[], byte[]>(kv.Key[1..], kv.Value));
}
