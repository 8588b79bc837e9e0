using System.Globalization;
using System.IO.Compression;

namespace Hearth.Core.Synthetic;

/// <summary>
/// The name statistics the generator draws from, compiled from ONS data (see NOTICE and
/// docs/synthetic-borough.md): first names by birth cohort and sex, surname frequencies, first-name
/// variants and nicknames, surname variants, and the FEBRL-style phonetic error rules. Loaded once from
/// embedded resources and shared read-only between threads.
/// </summary>
public sealed class NameData
{
    private static readonly Lazy<NameData> Instance = new(Load);

    private readonly Dictionary<(int Band, char Sex), WeightedTable<string>> _firstNames;
    private readonly Dictionary<string, WeightedTable<string>> _firstNameVariants;
    private readonly Dictionary<string, WeightedTable<string>> _surnameVariants;

    private NameData(
        Dictionary<(int Band, char Sex), WeightedTable<string>> firstNames,
        WeightedTable<string> surnames,
        Dictionary<string, WeightedTable<string>> firstNameVariants,
        Dictionary<string, WeightedTable<string>> surnameVariants,
        IReadOnlyList<PhoneticRule> phoneticRules)
    {
        _firstNames = firstNames;
        Surnames = surnames;
        _firstNameVariants = firstNameVariants;
        _surnameVariants = surnameVariants;
        PhoneticRules = phoneticRules;
    }

    public static NameData Shared => Instance.Value;

    public WeightedTable<string> Surnames { get; }

    public IReadOnlyList<PhoneticRule> PhoneticRules { get; }

    /// <summary>
    /// The cohort band for a birth year: five-year bands from 1996 (ONS counts), a blended 1990 band,
    /// and decade bands (ONS top 100, Zipf-weighted) before that; births after 2020 use the 2016 band.
    /// </summary>
    public static int BandFor(int birthYear) => birthYear switch
    {
        >= 2016 => 2016,
        >= 1996 => 1996 + ((birthYear - 1996) / 5 * 5),
        >= 1990 => 1990,
        < 1900 => 1900,
        _ => birthYear / 10 * 10,
    };

    public string FirstName(int birthYear, char sex, SyntheticRandom random) =>
        _firstNames[(BandFor(birthYear), sex)].Sample(random);

    /// <summary>A variant or nickname of <paramref name="forename"/>, or null when the tables know none.</summary>
    public string? FirstNameVariant(string forename, SyntheticRandom random) =>
        _firstNameVariants.TryGetValue(forename, out var table) ? table.Sample(random) : null;

    public bool HasFirstNameVariant(string forename) => _firstNameVariants.ContainsKey(forename);

    public string? SurnameVariant(string surname, SyntheticRandom random) =>
        _surnameVariants.TryGetValue(surname, out var table) ? table.Sample(random) : null;

    public bool HasSurnameVariant(string surname) => _surnameVariants.ContainsKey(surname);

    private static NameData Load()
    {
        var firstNames = ReadCsv("firstnames.csv.gz")
            .GroupBy(r => (Band: int.Parse(r[0], CultureInfo.InvariantCulture), Sex: r[1][0]))
            .ToDictionary(g => g.Key, g => new WeightedTable<string>(g.Select(r => (r[2], Weight(r[3])))));
        var surnames = new WeightedTable<string>(ReadCsv("surnames.csv.gz").Select(r => (r[0], Weight(r[1]))));
        var firstVariants = Variants(ReadCsv("firstname_variants.csv.gz"));
        var surnameVariants = Variants(ReadCsv("surname_variants.csv.gz"));
        var rules = ReadCsv("phonetic_rules.csv").Select(PhoneticRule.Parse).ToList();
        return new NameData(firstNames, surnames, firstVariants, surnameVariants, rules);
    }

    private static double Weight(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static Dictionary<string, WeightedTable<string>> Variants(IEnumerable<string[]> rows) =>
        rows.GroupBy(r => r[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new WeightedTable<string>(g.Select(r => (r[1], Weight(r[2])))), StringComparer.Ordinal);

    private static List<string[]> ReadCsv(string name)
    {
        var resource = "Hearth.Core.Resources.Synthetic." + name;
        using var stream = typeof(NameData).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing from Hearth.Core.");
        using Stream content = name.EndsWith(".gz", StringComparison.Ordinal)
            ? new GZipStream(stream, CompressionMode.Decompress)
            : stream;
        using var reader = new StreamReader(content);
        return [.. CsvRecords.Read(reader).Skip(1).Select(r => r.Fields)];
    }
}

/// <summary>
/// One phonetic misspelling rule in the FEBRL tradition: replace <see cref="Pattern"/> with
/// <see cref="Replacement"/> ("" deletes) at the start, middle, end or anywhere in a lower-case name,
/// optionally only when the preceding/following letter is a vowel (V) or consonant (C). Rules whose
/// conditions look at specific letters at offsets are kept in the table but never fire here.
/// </summary>
public sealed record PhoneticRule(string Where, string Pattern, string Replacement, string Before, string After)
{
    private const string Vowels = "aeiouy";

    internal static PhoneticRule Parse(string[] row)
    {
        var simple = row[5] == "None" && row[6] == "None";
        return new PhoneticRule(
            row[0],
            row[1],
            row[2] == "@" ? string.Empty : row[2],
            simple ? row[3] : "X",
            simple ? row[4] : "X");
    }

    /// <summary>Positions in <paramref name="name"/> (lower case) where this rule may fire.</summary>
    public IEnumerable<int> Positions(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Before is not ("None" or "V" or "C") || After is not ("None" or "V" or "C"))
        {
            yield break;
        }

        var start = 0;
        while (start <= name.Length - Pattern.Length)
        {
            var at = name.IndexOf(Pattern, start, StringComparison.Ordinal);
            if (at < 0)
            {
                yield break;
            }

            var end = at + Pattern.Length;
            var placeOk = Where switch
            {
                "START" => at == 0,
                "END" => end == name.Length,
                "MIDDLE" => at > 0 && end < name.Length,
                _ => true,
            };
            if (placeOk && Condition(Before, at > 0 ? name[at - 1] : null) && Condition(After, end < name.Length ? name[end] : null))
            {
                yield return at;
            }

            start = at + 1;
        }
    }

    private static bool Condition(string condition, char? c) => condition switch
    {
        "V" => c is { } v && Vowels.Contains(v, StringComparison.Ordinal),
        "C" => c is { } k && char.IsAsciiLetter(k) && !Vowels.Contains(k, StringComparison.Ordinal),
        _ => true,
    };
}
