using System.Globalization;

namespace Hearth.Core;

/// <summary>
/// An amount of sterling held as whole pence. Arithmetic is checked: an overflow throws rather than wraps.
/// Fractions of a penny never arise from addition; operations that divide (shares, rates) say how they round.
/// </summary>
public readonly record struct Money(long Pence) : IComparable<Money>
{
    public static readonly Money Zero = new(0);

    /// <summary>Whole pounds, e.g. <c>Money.FromPounds(4000)</c> is £4,000.00.</summary>
    public static Money FromPounds(long pounds) => new(checked(pounds * 100));

    /// <summary>
    /// Pounds with a fractional part, rounded to the nearest penny with halves away from zero
    /// (the convention of published unit-cost tables).
    /// </summary>
    public static Money FromPounds(decimal pounds) =>
        new(checked((long)decimal.Round(pounds * 100m, 0, MidpointRounding.AwayFromZero)));

    public decimal Pounds => Pence / 100m;

    public static Money operator +(Money a, Money b) => new(checked(a.Pence + b.Pence));
    public static Money operator -(Money a, Money b) => new(checked(a.Pence - b.Pence));
    public static Money operator -(Money a) => new(checked(-a.Pence));
    public static Money operator *(Money a, long factor) => new(checked(a.Pence * factor));
    public static bool operator <(Money a, Money b) => a.Pence < b.Pence;
    public static bool operator >(Money a, Money b) => a.Pence > b.Pence;
    public static bool operator <=(Money a, Money b) => a.Pence <= b.Pence;
    public static bool operator >=(Money a, Money b) => a.Pence >= b.Pence;

    public static Money Add(Money a, Money b) => a + b;
    public static Money Subtract(Money a, Money b) => a - b;
    public static Money Negate(Money a) => -a;
    public static Money Multiply(Money a, long factor) => a * factor;

    /// <summary>Multiplies by a rate and rounds to the nearest penny, halves away from zero.</summary>
    public Money MultiplyBy(decimal rate) =>
        new(checked((long)decimal.Round(Pence * rate, 0, MidpointRounding.AwayFromZero)));

    public static Money Min(Money a, Money b) => a.Pence <= b.Pence ? a : b;
    public static Money Max(Money a, Money b) => a.Pence >= b.Pence ? a : b;

    public int CompareTo(Money other) => Pence.CompareTo(other.Pence);

    /// <summary>Formats as pounds with a thousands separator, e.g. <c>£4,000.00</c> or <c>-£12.50</c>.</summary>
    public override string ToString()
    {
        var abs = Math.Abs((decimal)Pence) / 100m;
        var text = "£" + abs.ToString("#,##0.00", CultureInfo.InvariantCulture);
        return Pence < 0 ? "-" + text : text;
    }
}
