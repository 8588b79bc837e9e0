namespace Hearth.Core.Identifiers;

/// <summary>
/// Unique Pupil Numbers: 13 characters, a check letter then LA code (3 digits), establishment (4 digits),
/// the last two digits of the allocation year and a 3-digit serial. A temporary UPN ends in a letter in
/// place of the last serial digit. The check letter is Σ(value × position) over positions 2–13, mod 23,
/// mapped onto ABCDEFGHJKLMNPQRTUVWXYZ (I, O and S are never used).
/// </summary>
public static class UniquePupilNumber
{
    /// <summary>The 23 letters used for the check letter and a temporary UPN's final letter, in value order.</summary>
    public const string Letters = "ABCDEFGHJKLMNPQRTUVWXYZ";

    public static IdentifierCheck Check(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return IdentifierCheck.Invalid("UPN is empty");
        }

        var text = value.Trim().ToUpperInvariant();
        if (text.Length != 13)
        {
            return IdentifierCheck.Invalid($"UPN must have 13 characters but has {text.Length}");
        }

        for (var i = 1; i < 12; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return IdentifierCheck.Invalid($"UPN character {i + 1} must be a digit");
            }
        }

        var last = text[12];
        if (!char.IsAsciiDigit(last) && Letters.IndexOf(last, StringComparison.Ordinal) < 0)
        {
            return IdentifierCheck.Invalid("UPN must end in a digit, or for a temporary UPN a letter other than I, O or S");
        }

        var expected = CheckLetter(text.AsSpan(1));
        return text[0] == expected
            ? IdentifierCheck.Valid(text)
            : IdentifierCheck.Invalid($"UPN check letter should be {expected} but is {text[0]}");
    }

    public static bool IsValid(string? value) => Check(value).IsValid;

    /// <summary>The check letter for the 12 characters that follow it.</summary>
    public static char CheckLetter(ReadOnlySpan<char> twelve)
    {
        if (twelve.Length != 12)
        {
            throw new ArgumentException("Exactly twelve characters are needed.", nameof(twelve));
        }

        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            var c = twelve[i];
            var v = char.IsAsciiDigit(c) ? c - '0' : Letters.IndexOf(c, StringComparison.Ordinal);
            if (v < 0)
            {
                throw new ArgumentException("UPN characters must be digits or check-alphabet letters.", nameof(twelve));
            }

            sum += v * (i + 2);
        }

        return Letters[sum % 23];
    }
}
