using System.Globalization;

namespace Hearth.Core.Programmes;

/// <summary>Three-valued truth: a rule over missing data is <see cref="Unknown"/>, never met.</summary>
public enum Truth : byte
{
    False,
    True,
    Unknown,
}

/// <summary>Kleene (three-valued) logic and the words explanations use for each truth.</summary>
public static class TruthOps
{
    public static Truth And(Truth a, Truth b) =>
        a == Truth.False || b == Truth.False ? Truth.False : a == Truth.Unknown || b == Truth.Unknown ? Truth.Unknown : Truth.True;

    public static Truth Or(Truth a, Truth b) =>
        a == Truth.True || b == Truth.True ? Truth.True : a == Truth.Unknown || b == Truth.Unknown ? Truth.Unknown : Truth.False;

    public static Truth Not(Truth a) => a switch { Truth.True => Truth.False, Truth.False => Truth.True, _ => Truth.Unknown };

    public static Truth Of(bool b) => b ? Truth.True : Truth.False;

    public static Truth Of(bool? b) => b is null ? Truth.Unknown : Of(b.Value);

    public static string Word(this Truth t) => t switch { Truth.True => "met", Truth.False => "not met", _ => "unknown" };
}

/// <summary>
/// The value of an expression: a truth, or a number known to lie in [<see cref="Lo"/>, <see cref="Hi"/>]
/// (a count over events whose filter is itself unknown is a range). <see cref="Why"/> says why a value is unknown.
/// </summary>
internal readonly record struct Val(bool IsNumber, Truth Truth, decimal Lo, decimal Hi, string? Why)
{
    public static Val Bool(Truth t, string? why = null) => new(false, t, 0, 0, why);

    public static Val Num(decimal n) => new(true, Truth.True, n, n, null);

    public static Val Range(decimal lo, decimal hi, string? why) => new(true, lo == hi ? Truth.True : Truth.Unknown, lo, hi, lo == hi ? null : why);

    public static Val UnknownNum(string why) => new(true, Truth.Unknown, decimal.MinValue, decimal.MaxValue, why);

    public bool Exact => IsNumber && Truth == Truth.True;

    public string Format(bool percent)
    {
        if (!IsNumber)
        {
            return Truth.Word();
        }

        if (Lo == decimal.MinValue)
        {
            return "unknown";
        }

        return Lo == Hi ? FormatNumber(Lo, percent) : $"between {FormatNumber(Lo, percent)} and {FormatNumber(Hi, percent)}";
    }

    public static string FormatNumber(decimal n, bool percent) =>
        percent
            ? (n * 100m).ToString("0.#", CultureInfo.InvariantCulture) + "%"
            : n.ToString("0.##", CultureInfo.InvariantCulture);
}
