using System.IO.Compression;

namespace Hearth.Core.Linkage;

/// <summary>
/// Nickname and spelling-variant tables for first names (edward ↔ ted, ned) and surnames (adams ↔ adamson),
/// loaded once from the embedded resource <c>Resources/Linkage/name-variants.tsv.gz</c>. Variants are
/// direct (not transitive): two names are variants when one lists the other.
/// </summary>
public sealed class NameVariants
{
    private static readonly Lazy<NameVariants> Forenames = new(() => Load('F'));
    private static readonly Lazy<NameVariants> Surnames = new(() => Load('S'));

    private readonly Dictionary<string, int> _index;
    private readonly HashSet<long> _pairs;

    private NameVariants(Dictionary<string, int> index, HashSet<long> pairs)
    {
        _index = index;
        _pairs = pairs;
    }

    /// <summary>The first-name table.</summary>
    public static NameVariants FirstNames => Forenames.Value;

    /// <summary>The surname table.</summary>
    public static NameVariants LastNames => Surnames.Value;

    /// <summary>Number of distinct names in the table.</summary>
    public int Count => _index.Count;

    /// <summary>The table named in a configuration: "forename" (or "first") and "surname" (or "last").</summary>
    public static NameVariants? ByName(string name) => name switch
    {
        "forename" or "first" or "first_name" => FirstNames,
        "surname" or "last" or "last_name" => LastNames,
        _ => null,
    };

    /// <summary>The table's number for a standardised name, or -1 when the name is not in it.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>True when both indexes are in the table and the names are listed as variants.</summary>
    public bool AreVariants(int a, int b) => a >= 0 && b >= 0 && a != b && _pairs.Contains(Key(a, b));

    /// <summary>True when the two standardised names are listed as variants of each other.</summary>
    public bool AreVariants(string a, string b) => AreVariants(IndexOf(a), IndexOf(b));

    private static long Key(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;

    private static NameVariants Load(char kind)
    {
        var assembly = typeof(NameVariants).Assembly;
        var resource = assembly.GetManifestResourceNames()
            .Single(n => n.EndsWith("name-variants.tsv.gz", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException("The name variant table is missing from the build.");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var pairs = new HashSet<long>();
        int Intern(string s)
        {
            if (!index.TryGetValue(s, out var i))
            {
                i = index.Count;
                index[s] = i;
            }

            return i;
        }

        while (reader.ReadLine() is { } line)
        {
            if (line.Length < 3 || line[0] != kind || line[1] != '\t')
            {
                continue;
            }

            var parts = line.Split('\t');
            var a = Intern(parts[1]);
            foreach (var v in parts[2].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                pairs.Add(Key(a, Intern(v)));
            }
        }

        return new NameVariants(index, pairs);
    }
}
