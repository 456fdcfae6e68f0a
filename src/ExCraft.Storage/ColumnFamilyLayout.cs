namespace ExCraft.Storage;

/// <summary>
/// Which column family holds which key. Built from the <see cref="ColumnFamilyRoute"/>s of
/// <see cref="RocksDbOptions.ColumnFamilies"/>; family 0 is RocksDB's "default" family and holds every key no
/// route claims. Every key lives in exactly one family, so reads and writes route by key, and a prefix scan
/// only has to merge the families that can hold a key with that prefix.
/// </summary>
internal sealed class ColumnFamilyLayout
{
    internal const string DefaultFamily = "default";

    /// <summary>Route prefixes, longest first, each with the index of its family.</summary>
    private readonly (byte[] Prefix, int Family)[] _routes;

    internal ColumnFamilyLayout(IReadOnlyList<ColumnFamilyRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var names = new List<string> { DefaultFamily };
        var flat = new List<(byte[] Prefix, int Family)>();
        foreach (ColumnFamilyRoute route in routes)
        {
            ArgumentNullException.ThrowIfNull(route, nameof(routes));
            if (names.Any(n => n.StartsWith(route.Name + "=", StringComparison.Ordinal)) || route.Name == DefaultFamily || route.Name.Contains('='))
            {
                throw new ArgumentException($"column family name '{route.Name}' is reserved, contains '=' or is used twice", nameof(routes));
            }

            foreach (byte[] prefix in route.Prefixes)
            {
                if (flat.Any(r => r.Prefix.AsSpan().SequenceEqual(prefix)))
                {
                    throw new ArgumentException($"key prefix {Convert.ToHexString(prefix)} is routed to two column families", nameof(routes));
                }

                flat.Add((prefix.ToArray(), names.Count));
            }

            names.Add(PersistedName(route));
        }

        _routes = [.. flat.OrderByDescending(r => r.Prefix.Length)];
        FamilyNames = [.. names];
    }

    /// <summary>
    /// Names as stored in the database, index = family index. A routed family's stored name carries its
    /// prefixes ("blocks=42,43"), so a directory written with another routing fails to open instead of
    /// silently hiding keys in a family nobody reads.
    /// </summary>
    internal string[] FamilyNames { get; }

    /// <summary>The family that holds <paramref name="key"/>: the one with the longest matching prefix.</summary>
    internal int FamilyOf(ReadOnlySpan<byte> key)
    {
        foreach ((byte[] prefix, int family) in _routes)
        {
            if (key.StartsWith(prefix))
            {
                return family;
            }
        }

        return 0;
    }

    /// <summary>
    /// Every family that can hold a key starting with <paramref name="prefix"/>, ascending: the family of the
    /// prefix itself, plus each family routed by a longer prefix that extends it (for an empty prefix: all).
    /// </summary>
    internal int[] FamiliesFor(ReadOnlySpan<byte> prefix)
    {
        int own = FamilyOf(prefix);
        SortedSet<int>? more = null;
        foreach ((byte[] routePrefix, int family) in _routes)
        {
            if (family != own && routePrefix.Length > prefix.Length && routePrefix.AsSpan().StartsWith(prefix))
            {
                (more ??= [own]).Add(family);
            }
        }

        return more is null ? [own] : [.. more];
    }

    private static string PersistedName(ColumnFamilyRoute route)
        => route.Name + "=" + string.Join(",", route.Prefixes.Select(Convert.ToHexString));
}
