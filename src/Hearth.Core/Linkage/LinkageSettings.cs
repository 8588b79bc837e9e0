using System.Globalization;

namespace Hearth.Core.Linkage;

/// <summary>How a column is standardised and which comparison levels make sense for it.</summary>
public enum ColumnType
{
    /// <summary>A person's name: lower case, punctuation and titles removed.</summary>
    Name,

    /// <summary>Free text such as an address line or town: lower case, punctuation removed.</summary>
    Text,

    /// <summary>A date in any common written form.</summary>
    Date,

    /// <summary>A UK postcode (sector and outward code levels); other postal codes compare as text.</summary>
    Postcode,

    /// <summary>An identifier: letters and digits only, upper case.</summary>
    Identifier,

    /// <summary>An NHS number: an identifier whose valid values (modulus 11) count in the conflict guard.</summary>
    NhsNumber,

    /// <summary>A National Insurance number: an identifier whose valid values count in the conflict guard.</summary>
    Nino,

    /// <summary>A small set of codes (sex, state): exact comparison.</summary>
    Category,
}

/// <summary>The kinds of comparison level, tried in the order the configuration lists them.</summary>
public enum LevelKind
{
    /// <summary>Values identical after standardisation.</summary>
    Exact,

    /// <summary>Names listed as nickname or spelling variants ("variant forename" / "variant surname").</summary>
    Variant,

    /// <summary>Jaro–Winkler similarity at or above the argument.</summary>
    JaroWinkler,

    /// <summary>Damerau–Levenshtein distance at or below the argument.</summary>
    DamerauLevenshtein,

    /// <summary>Same Metaphone key.</summary>
    Metaphone,

    /// <summary>Dates whose day and month are swapped.</summary>
    SwappedDayMonth,

    /// <summary>Valid dates no more than the argument years apart.</summary>
    WithinYears,

    /// <summary>Same postcode sector (e.g. NB4 7).</summary>
    Sector,

    /// <summary>Same outward code (e.g. NB4).</summary>
    Outward,

    /// <summary>Identifiers equal but for one pair of adjacent characters swapped.</summary>
    Transposed,

    /// <summary>Same first word (e.g. "mary" of "mary ann").</summary>
    FirstToken,
}

/// <summary>One comparison level: its kind and argument (threshold, distance, years or variant table).</summary>
public sealed record LevelSpec(LevelKind Kind, double Argument = 0, string? Table = null)
{
    /// <summary>The level as written in a configuration file, e.g. "jaro_winkler 0.92".</summary>
    public override string ToString() => Kind switch
    {
        LevelKind.Exact => "exact",
        LevelKind.Variant => "variant " + Table,
        LevelKind.JaroWinkler => "jaro_winkler " + Argument.ToString("0.###", CultureInfo.InvariantCulture),
        LevelKind.DamerauLevenshtein => "damerau_levenshtein " + Argument.ToString("0", CultureInfo.InvariantCulture),
        LevelKind.Metaphone => "metaphone",
        LevelKind.SwappedDayMonth => "swapped_day_month",
        LevelKind.WithinYears => "within_years " + Argument.ToString("0.##", CultureInfo.InvariantCulture),
        LevelKind.Sector => "sector",
        LevelKind.Outward => "outward",
        LevelKind.Transposed => "transposed",
        LevelKind.FirstToken => "first_token",
        _ => Kind.ToString(),
    };

    /// <summary>Reads a level as written in a configuration, or returns the reason it is not valid.</summary>
    public static LevelSpec Parse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var name = parts.Length > 0 ? parts[0].ToLowerInvariant() : string.Empty;
        double arg = 0;
        bool NeedsNumber(double min, double max)
        {
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out arg) || arg < min || arg > max)
            {
                return false;
            }

            return true;
        }

        switch (name)
        {
            case "exact" when parts.Length == 1:
                return new LevelSpec(LevelKind.Exact);
            case "metaphone" when parts.Length == 1:
                return new LevelSpec(LevelKind.Metaphone);
            case "swapped_day_month" when parts.Length == 1:
                return new LevelSpec(LevelKind.SwappedDayMonth);
            case "sector" when parts.Length == 1:
                return new LevelSpec(LevelKind.Sector);
            case "outward" when parts.Length == 1:
                return new LevelSpec(LevelKind.Outward);
            case "transposed" when parts.Length == 1:
                return new LevelSpec(LevelKind.Transposed);
            case "first_token" when parts.Length == 1:
                return new LevelSpec(LevelKind.FirstToken);
            case "variant" when parts.Length == 2 && NameVariants.ByName(parts[1]) is not null:
                return new LevelSpec(LevelKind.Variant, 0, parts[1]);
            case "jaro_winkler" when NeedsNumber(0, 1):
                return new LevelSpec(LevelKind.JaroWinkler, arg);
            case "damerau_levenshtein" when NeedsNumber(1, 20) && arg == Math.Floor(arg):
                return new LevelSpec(LevelKind.DamerauLevenshtein, arg);
            case "within_years" when NeedsNumber(0, 200):
                return new LevelSpec(LevelKind.WithinYears, arg);
            default:
                error = $"'{text}' is not a comparison level; use exact, variant forename|surname, jaro_winkler 0..1, "
                    + "damerau_levenshtein N, metaphone, swapped_day_month, within_years N, sector, outward, transposed or first_token";
                return new LevelSpec(LevelKind.Exact);
        }
    }
}

/// <summary>
/// A column reference with optional transforms applied left to right: "surname", "surname:metaphone",
/// "dob:year", "full_name:first_token:metaphone".
/// </summary>
public sealed record FieldRef(string Column, string? Transform)
{
    /// <summary>Transforms a field reference may name.</summary>
    public static readonly IReadOnlyList<string> Transforms =
        ["first_token", "last_token", "metaphone", "year", "outward", "sector", "prefix1", "prefix2", "prefix3", "prefix4"];

    public static FieldRef Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var i = text.IndexOf(':', StringComparison.Ordinal);
        return i < 0 ? new FieldRef(text.Trim(), null) : new FieldRef(text[..i].Trim(), text[(i + 1)..].Trim());
    }

    public override string ToString() => Transform is null ? Column : Column + ":" + Transform;
}

/// <summary>One comparison: a field, its ordered levels (the last, "else", is implicit) and options.</summary>
public sealed class ComparisonSettings
{
    /// <summary>Name shown in reports and explanations.</summary>
    public required string Name { get; init; }

    /// <summary>The field compared, e.g. "given_name" or "full_name:first_token".</summary>
    public required string Field { get; init; }

    /// <summary>Agreement levels, strongest first. A pair that meets none is at the implicit "else" level.</summary>
    public required IReadOnlyList<LevelSpec> Levels { get; init; }

    /// <summary>Adjust the exact level's weight by how common the value is (rare names count for more).</summary>
    public bool TermFrequency { get; init; }

    /// <summary>Fixed m probabilities, one per level including "else"; not trained when set.</summary>
    public IReadOnlyList<double>? FixedM { get; init; }

    /// <summary>Fixed u probabilities, one per level including "else"; not estimated when set.</summary>
    public IReadOnlyList<double>? FixedU { get; init; }

    /// <summary>Labels of every level including "else".</summary>
    public IReadOnlyList<string> LevelLabels => [.. Levels.Select(l => l.ToString()), "else"];
}

/// <summary>Training options.</summary>
public sealed class TrainingSettings
{
    /// <summary>Seed for the random pairs that estimate u.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Number of random pairs sampled to estimate u.</summary>
    public int USamplePairs { get; init; } = 1_000_000;

    /// <summary>Maximum EM iterations.</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>EM stops when no parameter moves by more than this.</summary>
    public double Tolerance { get; init; } = 1e-7;

    /// <summary>A fixed prior match probability λ over all record pairs; estimated by EM when null.</summary>
    public double? Prior { get; init; }
}

/// <summary>Everything that configures a linkage run; read from and written to YAML.</summary>
public sealed class LinkageSettings
{
    /// <summary>Column → type; says how each used column is standardised.</summary>
    public required IReadOnlyDictionary<string, ColumnType> Columns { get; init; }

    public required IReadOnlyList<ComparisonSettings> Comparisons { get; init; }

    /// <summary>Blocking rules, OR-ed: a pair is a candidate when all keys of any one rule agree.</summary>
    public required IReadOnlyList<IReadOnlyList<string>> Blocking { get; init; }

    /// <summary>Fields that must not conflict within a cluster (e.g. NHS number).</summary>
    public IReadOnlyList<string> MustNotConflict { get; init; } = [];

    public TrainingSettings Training { get; init; } = new();

    /// <summary>Default threshold as a match probability (used when no weight threshold is given).</summary>
    public double ThresholdProbability { get; init; } = 0.9;

    /// <summary>Default threshold as a match weight; overrides the probability when set.</summary>
    public double? ThresholdWeight { get; init; }

    /// <summary>The threshold in match weight: log2(p / (1 − p)) when given as a probability.</summary>
    public double EffectiveThresholdWeight => ThresholdWeight ?? FellegiSunter.WeightOf(ThresholdProbability);
}
