using System.Text.RegularExpressions;

namespace Hearth.Core.Identifiers;

/// <summary>
/// UK postcode format (not existence): an outward code of 2–4 characters in one of the seven formats
/// (AN, ANN, AAN, AANN, ANA, AANA, plus GIR 0AA), a space, and an inward code digit-letter-letter, with the
/// Royal Mail's letter restrictions by position. Input is upper-cased and the space restored if missing.
/// </summary>
public static partial class Postcode
{
    [GeneratedRegex(
        "^(GIR 0AA|(([A-PR-UWYZ][0-9][0-9]?)|([A-PR-UWYZ][A-HK-Y][0-9][0-9]?)|([A-PR-UWYZ][0-9][A-HJKSTUW])|([A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])) [0-9][ABD-HJLNP-UW-Z]{2})$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static IdentifierCheck Check(string? value)
    {
        var normalised = Normalise(value);
        if (normalised is null)
        {
            return IdentifierCheck.Invalid("postcode is empty");
        }

        if (normalised.Length is < 6 or > 8)
        {
            return IdentifierCheck.Invalid("postcode must be 5 to 7 letters and digits");
        }

        return Pattern().IsMatch(normalised)
            ? IdentifierCheck.Valid(normalised)
            : IdentifierCheck.Invalid("postcode is not in a UK postcode format");
    }

    public static bool IsValid(string? value) => Check(value).IsValid;

    /// <summary>Upper-cases, removes inner spaces and puts one space before the three-character inward code.</summary>
    public static string? Normalise(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var compact = value.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        return compact.Length < 4 ? compact : compact[..^3] + " " + compact[^3..];
    }

    /// <summary>The outward code (the part before the space), e.g. "NB4" of "NB4 7QT".</summary>
    public static string? Outward(string? value) => Normalise(value)?.Split(' ')[0];

    /// <summary>The postcode sector, e.g. "NB4 7" of "NB4 7QT".</summary>
    public static string? Sector(string? value)
    {
        var n = Normalise(value);
        return n is null || n.Length < 6 ? null : n[..^2];
    }
}
