using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Hearth.Core.Synthetic;

/// <summary>Everything that determines a generated borough: same settings, same bytes.</summary>
public sealed record GeneratorSettings
{
    /// <summary>Changes whenever the same settings would produce different output.</summary>
    public const string GeneratorVersion = "1.0.0";

    /// <summary>The largest borough the identifier schemes can number without collisions.</summary>
    public const int MaxHouseholds = 2_000_000;

    public int Households { get; init; } = 2000;

    public long Seed { get; init; } = 1;

    /// <summary>First day of the simulated period (default 1 September 2019).</summary>
    public DateOnly Start { get; init; } = new(2019, 9, 1);

    /// <summary>Last day of the simulated period, inclusive (default 31 August 2025).</summary>
    public DateOnly End { get; init; } = new(2025, 8, 31);

    public ErrorRates Errors { get; init; } = new();

    public ProgrammeSettings Programme { get; init; } = new();

    /// <summary>Households generated in parallel per batch; output order never depends on it.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Whole months from <see cref="Start"/> to <see cref="End"/>.</summary>
    public int Months => ((End.Year - Start.Year) * 12) + End.Month - Start.Month + 1;

    /// <summary>Problems with these settings, each a sentence a user can act on; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Households < 1)
        {
            problems.Add($"--households must be at least 1 (got {Households.ToString(CultureInfo.InvariantCulture)}).");
        }
        else if (Households > MaxHouseholds)
        {
            problems.Add($"--households can be at most {MaxHouseholds.ToString("N0", CultureInfo.InvariantCulture)} (got {Households.ToString("N0", CultureInfo.InvariantCulture)}).");
        }

        if (End <= Start)
        {
            problems.Add($"--end ({End:yyyy-MM-dd}) must be after --start ({Start:yyyy-MM-dd}).");
        }
        else if (Start.AddMonths(25) > End.AddDays(1))
        {
            problems.Add($"the period {Start:yyyy-MM-dd} to {End:yyyy-MM-dd} is too short: at least 25 months are needed so that every programme family has 12 months before and after its attachment.");
        }

        if (Start.Year < 1990 || End.Year > 2100)
        {
            problems.Add("--start and --end must lie between 1990 and 2100.");
        }

        if (Start.Day != 1)
        {
            problems.Add($"--start ({Start:yyyy-MM-dd}) must be the first day of a month.");
        }

        problems.AddRange(Errors.Validate());
        problems.AddRange(Programme.Validate());
        return problems;
    }
}

/// <summary>
/// Every error rate the generator injects into agency extracts, in one place. Base rates are per extract
/// row (per field where a field is named); each agency's rate is the base rate times its quality factor
/// (<see cref="AgencyQuality"/>), capped at 1. Defaults are documented in docs/synthetic-borough.md.
/// </summary>
public sealed class ErrorRates
{
    /// <summary>Keyboard typo (substitution by a neighbouring key, insertion, deletion or transposition), per name field.</summary>
    public double Typo { get; set; } = 0.02;

    /// <summary>Phonetic misspelling by one FEBRL-style rule, per name field.</summary>
    public double Phonetic { get; set; } = 0.01;

    /// <summary>First name recorded as a variant or nickname, per row whose first name has one.</summary>
    public double Nickname { get; set; } = 0.04;

    /// <summary>First name and surname entered the wrong way round.</summary>
    public double NameSwap { get; set; } = 0.005;

    /// <summary>Surname recorded as a known variant (Adams for Adamson), per row whose surname has one.</summary>
    public double SurnameVariant { get; set; } = 0.02;

    /// <summary>For people with hyphenated or double-barrelled surnames: only one part recorded, or the hyphen dropped.</summary>
    public double DoubleBarrelled { get; set; } = 0.3;

    /// <summary>The agency's identifier (NHS number, NINO, UPN, UPRN) left blank, per row that should carry one.</summary>
    public double MissingIdentifier { get; set; } = 0.04;

    /// <summary>The agency's identifier mistyped (one digit or letter changed, or two transposed).</summary>
    public double WrongIdentifier { get; set; } = 0.01;

    /// <summary>Date of birth with day and month swapped, per row whose day is 12 or less and differs from its month.</summary>
    public double DayMonthSwap { get; set; } = 0.01;

    /// <summary>Date of birth with the wrong year (off by one, or by ten).</summary>
    public double WrongYear { get; set; } = 0.005;

    /// <summary>Postcode left blank.</summary>
    public double MissingPostcode { get; set; } = 0.02;

    /// <summary>A row entered twice, the copy under a second agency person record with its own errors.</summary>
    public double Duplicate { get; set; } = 0.01;

    /// <summary>Mean days after a move before the agency records the new address (stale addresses meanwhile).</summary>
    public double AddressLagDays { get; set; } = 45;

    /// <summary>Mean days after a change of surname before the agency records it (former surname meanwhile).</summary>
    public double SurnameLagDays { get; set; } = 90;

    /// <summary>Quality factor per agency: multiplies every rate and lag above.</summary>
    public Dictionary<string, double> AgencyQuality { get; set; } = new(StringComparer.Ordinal)
    {
        ["schools"] = 0.5,
        ["police"] = 1.5,
        ["youth_justice"] = 1.0,
        ["dwp"] = 0.6,
        ["health"] = 0.8,
        ["housing"] = 1.2,
        ["social_care"] = 0.8,
        ["early_help"] = 1.4,
    };

    /// <summary>The rate for <paramref name="agency"/>: base × quality factor, capped at 1.</summary>
    public double For(string agency, double baseRate) =>
        Math.Min(1.0, baseRate * (AgencyQuality.TryGetValue(agency, out var q) ? q : 1.0));

    public IEnumerable<string> Validate()
    {
        foreach (var (name, value) in Rates())
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                yield return $"error rate {name} must be between 0 and 1 (got {value.ToString(CultureInfo.InvariantCulture)}).";
            }
        }

        if (AddressLagDays < 0 || SurnameLagDays < 0)
        {
            yield return "address_lag_days and surname_lag_days cannot be negative.";
        }

        foreach (var (agency, q) in AgencyQuality)
        {
            if (!Agencies.All.Contains(agency, StringComparer.Ordinal))
            {
                yield return $"agency_quality names an unknown agency '{agency}' (known: {string.Join(", ", Agencies.All)}).";
            }
            else if (q < 0 || double.IsNaN(q))
            {
                yield return $"agency_quality for {agency} cannot be negative.";
            }
        }
    }

    /// <summary>The rates by their YAML names, in a fixed order (for the manifest).</summary>
    public IEnumerable<(string Name, double Value)> Rates()
    {
        yield return ("typo", Typo);
        yield return ("phonetic", Phonetic);
        yield return ("nickname", Nickname);
        yield return ("name_swap", NameSwap);
        yield return ("surname_variant", SurnameVariant);
        yield return ("double_barrelled", DoubleBarrelled);
        yield return ("missing_identifier", MissingIdentifier);
        yield return ("wrong_identifier", WrongIdentifier);
        yield return ("day_month_swap", DayMonthSwap);
        yield return ("wrong_year", WrongYear);
        yield return ("missing_postcode", MissingPostcode);
        yield return ("duplicate", Duplicate);
    }
}

/// <summary>
/// The whole-family programme: who is chosen (selection on needs and recorded offending at the reference
/// date) and its TRUE effect on each outcome, as a relative change in the event rate after attachment
/// (−0.20 means 20% fewer events than the family would otherwise have had).
/// </summary>
public sealed class ProgrammeSettings
{
    public double EffectOffences { get; set; } = -0.20;

    public double EffectAsb { get; set; } = -0.15;

    /// <summary>Relative change in unauthorised absence sessions (negative = better attendance).</summary>
    public double EffectUnauthorisedAbsence { get; set; } = -0.25;

    public double EffectExclusions { get; set; } = -0.20;

    public double EffectAe { get; set; } = -0.10;

    /// <summary>Log-odds of attachment for an eligible family with no needs beyond one.</summary>
    public double SelectionIntercept { get; set; } = -3.6;

    /// <summary>Added log-odds per need present at the reference date.</summary>
    public double SelectionPerNeed { get; set; } = 0.4;

    /// <summary>Added log-odds per proven offence, ASB incident or exclusion in the family in the 12 months before the reference date (capped at 6).</summary>
    public double SelectionPerPriorIncident { get; set; } = 0.45;

    /// <summary>Months a family stays attached before its case closes.</summary>
    public int CaseMonths { get; set; } = 12;

    public IEnumerable<string> Validate()
    {
        foreach (var (name, value) in Effects())
        {
            if (value < -1 || value > 5 || double.IsNaN(value))
            {
                yield return $"programme effect {name} must be between -1 and 5 (got {value.ToString(CultureInfo.InvariantCulture)}).";
            }
        }

        if (CaseMonths is < 1 or > 60)
        {
            yield return "programme case_months must be between 1 and 60.";
        }
    }

    public IEnumerable<(string Name, double Value)> Effects()
    {
        yield return ("effect_offences", EffectOffences);
        yield return ("effect_asb", EffectAsb);
        yield return ("effect_unauthorised_absence", EffectUnauthorisedAbsence);
        yield return ("effect_exclusions", EffectExclusions);
        yield return ("effect_ae", EffectAe);
    }
}

/// <summary>Reads error rates and programme settings from YAML (snake_case keys; unknown keys are errors).</summary>
public static class GeneratorSettingsFile
{
    private static readonly IDeserializer Reader = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>Reads an error-rate file; throws <see cref="InvalidDataException"/> naming the file, line and reason.</summary>
    public static ErrorRates ReadErrors(string path) => Read<ErrorRates>(path);

    public static ProgrammeSettings ReadProgramme(string path) => Read<ProgrammeSettings>(path);

    private static T Read<T>(string path)
        where T : new()
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot be read ({e.Message})", e);
        }

        try
        {
            return Reader.Deserialize<T>(text) ?? new T();
        }
        catch (YamlException e)
        {
            var reason = e.InnerException?.Message ?? e.Message;
            throw new InvalidDataException($"{path}, line {e.Start.Line}: {reason}", e);
        }
    }
}
