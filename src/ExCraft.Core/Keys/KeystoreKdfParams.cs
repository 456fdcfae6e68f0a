namespace ExCraft.Core.Keys;

/// <summary>
/// scrypt cost parameters for <see cref="Keystore.Encrypt"/>. The defaults (N = 2^18, r = 8, p = 1) are
/// geth's "standard" ones: about 256 MiB of memory and a second or more per encryption or decryption.
/// Lighter values (for example N = 1024) are for tests only.
/// </summary>
public sealed record KeystoreKdfParams(int N = 262144, int R = 8, int P = 1)
{
    /// <summary>Throws <see cref="ArgumentException"/> unless N is a power of two above 1 and R, P are positive.</summary>
    public void Validate()
    {
        if (N < 2 || (N & (N - 1)) != 0) throw new ArgumentException($"scrypt N must be a power of two greater than 1, got {N}", nameof(N));
        if (R < 1) throw new ArgumentException($"scrypt r must be at least 1, got {R}", nameof(R));
        if (P < 1) throw new ArgumentException($"scrypt p must be at least 1, got {P}", nameof(P));
        if ((long)R * P >= 1 << 30) throw new ArgumentException($"scrypt r * p must be below 2^30, got {(long)R * P}");
    }
}
