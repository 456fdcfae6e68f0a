namespace ExCraft.Storage;

/// <summary>
/// Keys that start with one of <see cref="Prefixes"/> are kept in their own RocksDB column family named
/// <see cref="Name"/> (a separate LSM tree with its own memtable and compactions). Keys no route claims stay
/// in the default family. When two routes match a key, the longer prefix wins.
/// </summary>
public sealed class ColumnFamilyRoute
{
    public ColumnFamilyRoute(string name, params byte[][] prefixes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(prefixes);
        if (prefixes.Length == 0)
        {
            throw new ArgumentException($"column family '{name}' needs at least one key prefix", nameof(prefixes));
        }

        foreach (byte[] prefix in prefixes)
        {
            if (prefix is null || prefix.Length == 0)
            {
                throw new ArgumentException($"column family '{name}' has an empty key prefix", nameof(prefixes));
            }
        }

        Name = name;
        Prefixes = prefixes.Select(p => p.ToArray()).ToArray();
    }

    public string Name { get; }

    public IReadOnlyList<byte[]> Prefixes { get; }
}
