namespace Hearth.Core.Synthetic;

/// <summary>
/// A small, fast, seedable generator (xoshiro256** seeded through SplitMix64) whose sequence is fixed by
/// its seed on every platform and runtime version, so a borough generated twice is byte-identical.
/// Not for security: synthetic data only.
/// </summary>
public sealed class SyntheticRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public SyntheticRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>A generator for one unit of work (a household, a stream) derived from the run's seed.</summary>
    public static SyntheticRandom For(long seed, long index, ulong stream = 0) => new(Mix(seed, index, stream));

    /// <summary>Mixes three values into one well-spread 64-bit value (SplitMix64 finaliser).</summary>
    public static ulong Mix(long a, long b, ulong c)
    {
        unchecked
        {
            var x = (ulong)a * 0x9E3779B97F4A7C15UL;
            x ^= (ulong)b + 0xBF58476D1CE4E5B9UL + (x << 6) + (x >> 2);
            x ^= c * 0x94D049BB133111EBUL;
            return SplitMix(ref x);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        unchecked
        {
            x += 0x9E3779B97F4A7C15UL;
            var z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    public ulong NextUInt64()
    {
        unchecked
        {
            var result = RotateLeft(_s1 * 5, 7) * 9;
            var t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = RotateLeft(_s3, 45);
            return result;
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>One of the options, chosen with probability proportional to its weight (one draw).</summary>
    public T Pick<T>(params (T Value, double Weight)[] options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var total = options.Sum(o => o.Weight);
        var roll = NextDouble() * total;
        foreach (var (value, weight) in options)
        {
            roll -= weight;
            if (roll < 0)
            {
                return value;
            }
        }

        return options[^1].Value;
    }

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)((NextUInt64() >> 1) % (ulong)maxExclusive);
    }

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    public bool Chance(double probability) => probability > 0 && NextDouble() < probability;

    private double _spare;
    private bool _hasSpare;

    /// <summary>Standard normal deviate (Marsaglia's polar method; the second value of each pair is kept for the next call).</summary>
    public double Normal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        double u, v, s;
        do
        {
            u = (2.0 * NextDouble()) - 1.0;
            v = (2.0 * NextDouble()) - 1.0;
            s = (u * u) + (v * v);
        }
        while (s >= 1.0 || s == 0.0);

        var factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spare = v * factor;
        _hasSpare = true;
        return u * factor;
    }

    /// <summary>Poisson count with mean <paramref name="lambda"/> (Knuth below 30, normal approximation above).</summary>
    public int Poisson(double lambda)
    {
        if (lambda <= 0)
        {
            return 0;
        }

        if (lambda > 30)
        {
            return Math.Max(0, (int)Math.Round(lambda + (Math.Sqrt(lambda) * Normal())));
        }

        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = NextDouble();
        while (p > limit)
        {
            k++;
            p *= NextDouble();
        }

        return k;
    }

    /// <summary>Binomial thinning: how many of <paramref name="n"/> items survive with probability <paramref name="p"/>.</summary>
    public int Binomial(int n, double p)
    {
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            if (NextDouble() < p)
            {
                k++;
            }
        }

        return k;
    }

    public T Pick<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items[Next(items.Count)];
    }
}

/// <summary>Bijective scrambling of sequence numbers, so identifiers look random yet never collide.</summary>
internal static class Scramble
{
    /// <summary>
    /// A keyed permutation of [0, <paramref name="domain"/>) that spreads neighbouring inputs far apart:
    /// xor-shift and odd-multiplier rounds (each a bijection on the enclosing power of two), repeated
    /// while the value falls outside the domain ("cycle walking"), which keeps it a bijection on the domain.
    /// </summary>
    public static long Shuffle(long value, long domain, ulong key)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, domain);
        var bits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(domain - 1));
        bits = Math.Max(bits, 8);
        var mask = (1UL << bits) - 1;
        var half = bits / 2;
        var x = (ulong)value;
        do
        {
            unchecked
            {
                x = (x ^ (key & mask)) & mask;
                x = (x * 0x9E3779B97F4A7C15UL) & mask;
                x ^= x >> half;
                x = (x * (0xBF58476D1CE4E5B9UL | 1UL)) & mask;
                x ^= x >> (half + 1);
                x = (x * 0x94D049BB133111EBUL) & mask;
                x ^= x >> half;
            }
        }
        while (x >= (ulong)domain);

        return (long)x;
    }
}
