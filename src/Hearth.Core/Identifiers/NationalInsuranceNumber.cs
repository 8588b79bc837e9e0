using System.Text.RegularExpressions;

namespace Hearth.Core.Identifiers;

/// <summary>
/// National Insurance numbers: two prefix letters, six digits, a suffix A–D. D, F, I, Q, U and V never
/// appear in the prefix, O never second, and the prefixes BG, GB, KN, NK, NT, TN and ZZ are not used.
/// There is no check character. Spaces are ignored; letters are upper-cased.
/// </summary>
public static partial class NationalInsuranceNumber
{
    [GeneratedRegex("^[A-Z]{2}[0-9]{6}[A-Z]$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    private static readonly string[] UnusedPrefixes = ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"];

    public static IdentifierCheck Check(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return IdentifierCheck.Invalid("National Insurance number is empty");
        }

        var text = value.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (!Shape().IsMatch(text))
        {
            return IdentifierCheck.Invalid("National Insurance number must be two letters, six digits and a letter");
        }

        var first = text[0];
        var second = text[1];
        if ("DFIQUV".Contains(first, StringComparison.Ordinal))
        {
            return IdentifierCheck.Invalid($"National Insurance number cannot start with {first}");
        }

        if ("DFIQUVO".Contains(second, StringComparison.Ordinal))
        {
            return IdentifierCheck.Invalid($"National Insurance number cannot have {second} as its second letter");
        }

        var prefix = text[..2];
        if (UnusedPrefixes.Contains(prefix, StringComparer.Ordinal))
        {
            return IdentifierCheck.Invalid($"National Insurance number prefix {prefix} is not used");
        }

        var suffix = text[8];
        return suffix is >= 'A' and <= 'D'
            ? IdentifierCheck.Valid(text)
            : IdentifierCheck.Invalid($"National Insurance number suffix must be A, B, C or D, not {suffix}");
    }

    public static bool IsValid(string? value) => Check(value).IsValid;
}
