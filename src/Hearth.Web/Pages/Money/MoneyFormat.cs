using System.Globalization;
using Hearth.Core.Finance;

namespace Hearth.Web.Pages.Money;

/// <summary>Parsing of the money pages' form fields: culture-invariant, with a reason when a value is wrong.</summary>
public static class MoneyFormat
{
    public static PriceYear? Year(string? text, IDictionary<string, string> errors, string field)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (PriceYear.TryParse(text, out var year, out var reason))
        {
            return year;
        }

        errors[field] = reason;
        return null;
    }

    public static DateOnly? Date(string? text, IDictionary<string, string> errors, string field)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors[field] = $"'{text}' is not a date like 2026-03-31";
        return null;
    }

    public static decimal? Number(string? text, IDictionary<string, string> errors, string field, decimal min, decimal max)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var clean = text.Replace("£", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal).Trim();
        if (!decimal.TryParse(clean, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            errors[field] = $"'{text}' is not a number";
            return null;
        }

        if (value < min || value > max)
        {
            errors[field] = string.Create(CultureInfo.InvariantCulture, $"{value} is outside {min} to {max}");
            return null;
        }

        return value;
    }

    public static string Pounds(decimal? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : string.Empty;
}
