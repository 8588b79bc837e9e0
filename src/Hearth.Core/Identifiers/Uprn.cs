namespace Hearth.Core.Identifiers;

/// <summary>
/// Unique Property Reference Numbers: up to 12 digits, no check digit and no meaning in the digits.
/// Leading zeros are not significant; the normalised form drops them. Existence can only be checked
/// against an address gazetteer, which this check does not do.
/// </summary>
public static class Uprn
{
    public static IdentifierCheck Check(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return IdentifierCheck.Invalid("UPRN is empty");
        }

        var text = value.Trim();
        if (text.Length > 12)
        {
            return IdentifierCheck.Invalid($"UPRN must have at most 12 digits but has {text.Length} characters");
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return IdentifierCheck.Invalid("UPRN must contain only digits");
            }
        }

        var trimmed = text.TrimStart('0');
        return trimmed.Length == 0
            ? IdentifierCheck.Invalid("UPRN cannot be zero")
            : IdentifierCheck.Valid(trimmed);
    }

    public static bool IsValid(string? value) => Check(value).IsValid;
}
