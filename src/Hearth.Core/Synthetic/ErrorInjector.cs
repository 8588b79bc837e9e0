using System.Text;

namespace Hearth.Core.Synthetic;

/// <summary>A person's details as one agency row holds them (after any errors).</summary>
public sealed class RecordedIdentity
{
    public string Forename { get; set; } = string.Empty;

    public string Surname { get; set; } = string.Empty;

    public DateOnly Dob { get; set; }

    public char Sex { get; set; }

    /// <summary>The agency's identifier for the person (NHS number, NINO, UPN or UPRN), or null when the agency holds none.</summary>
    public string? Identifier { get; set; }

    /// <summary>The identifier's field name in error codes: nhs_number, nino, upn or uprn.</summary>
    public string IdentifierName { get; set; } = "identifier";

    /// <summary>A second identifier (social care holds both UPN and NHS number).</summary>
    public string? SecondIdentifier { get; set; }

    public string SecondIdentifierName { get; set; } = "identifier";

    public string Postcode { get; set; } = string.Empty;

    public string AddressLine1 { get; set; } = string.Empty;
}

/// <summary>
/// Injects the errors real extracts have into one row's identity, at the agency's rates, and names each
/// error it made ("field:kind") so the truth can record it. Only changes that actually alter the value
/// are recorded (a transposition of two equal letters is no error).
/// </summary>
public sealed class ErrorInjector
{
    private static readonly string[] KeyboardRows = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

    private readonly NameData _names;
    private readonly double _typo;
    private readonly double _phonetic;
    private readonly double _nickname;
    private readonly double _swap;
    private readonly double _surnameVariant;
    private readonly double _doubleBarrelled;
    private readonly double _missingId;
    private readonly double _wrongId;
    private readonly double _dayMonth;
    private readonly double _wrongYear;
    private readonly double _missingPostcode;

    public ErrorInjector(ErrorRates rates, string agency, NameData names)
    {
        ArgumentNullException.ThrowIfNull(rates);
        _names = names;
        _typo = rates.For(agency, rates.Typo);
        _phonetic = rates.For(agency, rates.Phonetic);
        _nickname = rates.For(agency, rates.Nickname);
        _swap = rates.For(agency, rates.NameSwap);
        _surnameVariant = rates.For(agency, rates.SurnameVariant);
        _doubleBarrelled = rates.For(agency, rates.DoubleBarrelled);
        _missingId = rates.For(agency, rates.MissingIdentifier);
        _wrongId = rates.For(agency, rates.WrongIdentifier);
        _dayMonth = rates.For(agency, rates.DayMonthSwap);
        _wrongYear = rates.For(agency, rates.WrongYear);
        _missingPostcode = rates.For(agency, rates.MissingPostcode);
        Duplicate = rates.For(agency, rates.Duplicate);
        var quality = rates.AgencyQuality.TryGetValue(agency, out var q) ? q : 1.0;
        AddressLagDays = quality * rates.AddressLagDays;
        SurnameLagDays = quality * rates.SurnameLagDays;
    }

    public double Duplicate { get; }

    public double AddressLagDays { get; }

    public double SurnameLagDays { get; }

    public void Apply(RecordedIdentity id, SyntheticRandom rng, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(errors);

        if (_names.HasFirstNameVariant(id.Forename) && rng.Chance(_nickname))
        {
            var variant = _names.FirstNameVariant(id.Forename, rng);
            if (variant is not null && !string.Equals(variant, id.Forename, StringComparison.Ordinal))
            {
                id.Forename = variant;
                errors.Add("forename:nickname");
            }
        }

        if (id.Surname.Contains('-', StringComparison.Ordinal) || id.Surname.Contains(' ', StringComparison.Ordinal))
        {
            if (rng.Chance(_doubleBarrelled))
            {
                var parts = id.Surname.Split('-', ' ');
                id.Surname = rng.Next(3) switch
                {
                    0 => parts[0],
                    1 => parts[^1],
                    _ => id.Surname.Contains('-', StringComparison.Ordinal) ? string.Join(' ', parts) : string.Join('-', parts),
                };
                errors.Add("surname:double_barrelled");
            }
        }
        else if (_names.HasSurnameVariant(id.Surname) && rng.Chance(_surnameVariant))
        {
            var variant = _names.SurnameVariant(id.Surname, rng);
            if (variant is not null && !string.Equals(variant, id.Surname, StringComparison.Ordinal))
            {
                id.Surname = variant;
                errors.Add("surname:variant");
            }
        }

        if (rng.Chance(_phonetic))
        {
            id.Forename = Changed(id.Forename, Phonetic(id.Forename, rng), "forename:phonetic", errors);
        }

        if (rng.Chance(_phonetic))
        {
            id.Surname = Changed(id.Surname, Phonetic(id.Surname, rng), "surname:phonetic", errors);
        }

        if (rng.Chance(_typo))
        {
            id.Forename = Changed(id.Forename, Typo(id.Forename, rng), "forename:typo", errors);
        }

        if (rng.Chance(_typo))
        {
            id.Surname = Changed(id.Surname, Typo(id.Surname, rng), "surname:typo", errors);
        }

        if (rng.Chance(_swap))
        {
            (id.Forename, id.Surname) = (id.Surname, id.Forename);
            errors.Add("names:swapped");
        }

        if (id.Dob.Day <= 12 && id.Dob.Day != id.Dob.Month && rng.Chance(_dayMonth))
        {
            id.Dob = new DateOnly(id.Dob.Year, id.Dob.Day, id.Dob.Month);
            errors.Add("dob:day_month_swap");
        }

        if (rng.Chance(_wrongYear))
        {
            var shift = rng.Chance(0.8) ? (rng.Chance(0.5) ? 1 : -1) : (rng.Chance(0.5) ? 10 : -10);
            id.Dob = id.Dob.AddYears(shift);
            errors.Add("dob:wrong_year");
        }

        id.Identifier = Identifier(id.Identifier, id.IdentifierName, rng, errors);
        id.SecondIdentifier = Identifier(id.SecondIdentifier, id.SecondIdentifierName, rng, errors);

        if (id.Postcode.Length > 0 && rng.Chance(_missingPostcode))
        {
            id.Postcode = string.Empty;
            errors.Add("postcode:missing");
        }
    }

    private string? Identifier(string? value, string field, SyntheticRandom rng, List<string> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }

        if (rng.Chance(_missingId))
        {
            errors.Add(field + ":missing");
            return null;
        }

        if (rng.Chance(_wrongId))
        {
            var wrong = WrongIdentifier(value, rng);
            if (!string.Equals(wrong, value, StringComparison.Ordinal))
            {
                errors.Add(field + ":wrong");
                return wrong;
            }
        }

        return value;
    }

    /// <summary>Changes one digit, or (one time in four) swaps two adjacent different digits.</summary>
    internal static string WrongIdentifier(string value, SyntheticRandom rng)
    {
        var chars = value.ToCharArray();
        var digits = Enumerable.Range(0, chars.Length).Where(i => char.IsAsciiDigit(chars[i])).ToList();
        if (digits.Count == 0)
        {
            return value;
        }

        if (rng.Chance(0.25))
        {
            var pairs = digits.Where(i => i + 1 < chars.Length && char.IsAsciiDigit(chars[i + 1]) && chars[i] != chars[i + 1]).ToList();
            if (pairs.Count > 0)
            {
                var i = rng.Pick(pairs);
                (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                return new string(chars);
            }
        }

        var at = rng.Pick(digits);
        chars[at] = (char)('0' + ((chars[at] - '0' + rng.Next(1, 10)) % 10));
        return new string(chars);
    }

    private static string Changed(string before, string after, string code, List<string> errors)
    {
        if (after.Length > 0 && !string.Equals(before, after, StringComparison.Ordinal))
        {
            errors.Add(code);
            return after;
        }

        return before;
    }

    /// <summary>One keyboard error: a neighbouring key instead, an extra neighbouring key, a lost letter, or two letters swapped.</summary>
    internal static string Typo(string name, SyntheticRandom rng)
    {
        if (name.Length < 2)
        {
            return name;
        }

        var sb = new StringBuilder(name);
        var i = rng.Next(name.Length);
        var c = name[i];
        switch (rng.Next(4))
        {
            case 0:
                if (char.IsAsciiLetter(c))
                {
                    var n = Neighbour(c, rng);
                    sb[i] = char.IsUpper(c) ? char.ToUpperInvariant(n) : n;
                }

                break;
            case 1:
                sb.Insert(i + 1, char.IsAsciiLetter(c) ? Neighbour(c, rng) : 'e');
                break;
            case 2:
                if (name.Length > 2)
                {
                    sb.Remove(i, 1);
                    if (i == 0 && sb.Length > 0)
                    {
                        sb[0] = char.ToUpperInvariant(sb[0]);
                    }
                }

                break;
            default:
                if (i + 1 < name.Length)
                {
                    var a = sb[i];
                    var b = sb[i + 1];
                    if (i == 0)
                    {
                        sb[0] = char.ToUpperInvariant(b);
                        sb[1] = char.ToLowerInvariant(a);
                    }
                    else
                    {
                        sb[i] = b;
                        sb[i + 1] = a;
                    }
                }

                break;
        }

        return sb.ToString();
    }

    private static char Neighbour(char c, SyntheticRandom rng)
    {
        var lower = char.ToLowerInvariant(c);
        foreach (var row in KeyboardRows)
        {
            var at = row.IndexOf(lower, StringComparison.Ordinal);
            if (at >= 0)
            {
                if (at == 0)
                {
                    return row[1];
                }

                if (at == row.Length - 1)
                {
                    return row[^2];
                }

                return rng.Chance(0.5) ? row[at - 1] : row[at + 1];
            }
        }

        return 'e';
    }

    /// <summary>Applies one applicable phonetic rule at one place, keeping the name's capitalisation.</summary>
    internal string Phonetic(string name, SyntheticRandom rng)
    {
        var lower = name.ToLowerInvariant();
        var options = new List<(PhoneticRule Rule, int At)>();
        foreach (var rule in _names.PhoneticRules)
        {
            foreach (var at in rule.Positions(lower))
            {
                options.Add((rule, at));
            }
        }

        if (options.Count == 0)
        {
            return name;
        }

        var (r, pos) = rng.Pick(options);
        var changed = lower[..pos] + r.Replacement + lower[(pos + r.Pattern.Length)..];
        return Capitalise(changed);
    }

    internal static string Capitalise(string lower)
    {
        var sb = new StringBuilder(lower.Length);
        var up = true;
        foreach (var c in lower)
        {
            sb.Append(up ? char.ToUpperInvariant(c) : c);
            up = c is '-' or ' ' or '\'';
        }

        return sb.ToString();
    }
}
