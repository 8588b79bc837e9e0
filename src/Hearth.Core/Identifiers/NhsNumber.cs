namespace Hearth.Core.Identifiers;

/// <summary>
/// NHS numbers: ten digits, the tenth a modulus 11 check digit. Digits 1–9 are weighted 10 down to 2;
/// check = 11 − (sum mod 11), where 11 becomes 0 and 10 means the number is never issued.
/// </summary>
public static class NhsNumber
{
    /// <summary>Checks a number written with or without spaces or hyphens (e.g. "943 476 5870").</summary>
    public static IdentifierCheck Check(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return IdentifierCheck.Invalid("NHS number is empty");
        }

        Span<char> digits = stackalloc char[10];
        var count = 0;
        foreach (var c in value)
        {
            if (c is ' ' or '-')
            {
                continue;
            }

            if (!char.IsAsciiDigit(c))
            {
                return IdentifierCheck.Invalid("NHS number must contain only digits");
            }

            if (count == 10)
            {
                return IdentifierCheck.Invalid("NHS number must have 10 digits but has more");
            }

            digits[count++] = c;
        }

        if (count != 10)
        {
            return IdentifierCheck.Invalid($"NHS number must have 10 digits but has {count}");
        }

        var expected = CheckDigit(digits[..9]);
        if (expected is null)
        {
            return IdentifierCheck.Invalid("NHS number's first nine digits give check value 10, which is never issued");
        }

        var actual = digits[9] - '0';
        return actual == expected
            ? IdentifierCheck.Valid(new string(digits))
            : IdentifierCheck.Invalid($"NHS number check digit should be {expected} but is {actual}");
    }

    public static bool IsValid(string? value) => Check(value).IsValid;

    /// <summary>The check digit for nine leading digits, or null when they give 10 (not issued).</summary>
    public static int? CheckDigit(ReadOnlySpan<char> nineDigits)
    {
        if (nineDigits.Length != 9)
        {
            throw new ArgumentException("Exactly nine digits are needed.", nameof(nineDigits));
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (nineDigits[i] - '0') * (10 - i);
        }

        var check = 11 - (sum % 11);
        return check switch
        {
            11 => 0,
            10 => null,
            _ => check,
        };
    }
}
