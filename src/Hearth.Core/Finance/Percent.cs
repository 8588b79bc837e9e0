using System.Globalization;

namespace Hearth.Core.Finance;

/// <summary>Percentages written the way UK finance papers write them: <c>7.5%</c>, <c>-50%</c>.</summary>
internal static class Percent
{
    public static string Format(decimal fraction, int decimals = 2) =>
        decimal.Round(fraction * 100m, decimals, MidpointRounding.AwayFromZero).ToString("0." + new string('#', Math.Max(decimals, 1)), CultureInfo.InvariantCulture) + "%";

    public static string Format(double fraction, int decimals = 2) =>
        double.IsFinite(fraction) ? Format((decimal)fraction, decimals) : "n/a";
}
