namespace Hearth.Core.Finance.Contracts;

/// <summary>A dated cash flow from the investor's point of view: drawdowns negative, distributions positive.</summary>
public readonly record struct DatedCashFlow(DateOnly Date, Money Amount);

/// <summary>How an IRR solve ended.</summary>
public enum IrrStatus
{
    /// <summary>A rate was found with |NPV| below the tolerance.</summary>
    Solved,

    /// <summary>The flows never change sign (all in, or all out): no rate makes NPV zero.</summary>
    NoSignChange,

    /// <summary>NPV does not change sign anywhere between −99.99% and the upper search limit.</summary>
    NotBracketed,
}

/// <summary>
/// The result of an IRR solve: the rate (annual for dated flows, per period for periodic flows), how it was found,
/// and a warning when the flows change sign more than once (more than one rate may solve NPV = 0; the one
/// returned is the root nearest zero found by the bracket scan).
/// </summary>
public sealed record IrrResult(IrrStatus Status, double Rate, int Iterations, string Method, bool MultipleSignChanges)
{
    public bool IsSolved => Status == IrrStatus.Solved;

    public string Explain() => Status switch
    {
        IrrStatus.Solved => FormattableString.Invariant($"{Percent.Format(Rate, 2)} ({Method}, {Iterations} iterations)")
            + (MultipleSignChanges ? "; flows change sign more than once, other rates may also solve NPV = 0" : string.Empty),
        IrrStatus.NoSignChange => "no IRR: the cash flows never change sign",
        _ => "no IRR: NPV does not change sign between -99.99% and the search limit",
    };
}

/// <summary>
/// Internal rate of return: the r with NPV(r) = 0. Periodic: Σ cf_t/(1+r)^t with t = 0, 1, 2…. Dated
/// (XIRR convention): Σ cf_i/(1+r)^((d_i − d_0)/365). The solver brackets a sign change of NPV by scanning a
/// grid of rates outward from 0 (−99.99% to 10,000%), then runs safeguarded Newton steps: a Newton step that
/// leaves the bracket, or does not halve it, is replaced by a bisection step. It stops when |NPV| &lt; 1e-13 of the
/// flows' gross size or the bracket is narrower than 1e-14.
/// </summary>
public static class Irr
{
    private const double MinRate = -0.9999;
    private const double MaxRate = 100.0;

    public static IrrResult Periodic(IReadOnlyList<Money> flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        var amounts = flows.Select(f => (double)f.Pence).ToArray();
        var times = Enumerable.Range(0, amounts.Length).Select(t => (double)t).ToArray();
        return Solve(amounts, times, "periodic");
    }

    public static IrrResult Dated(IReadOnlyList<DatedCashFlow> flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        if (flows.Count == 0)
        {
            return new IrrResult(IrrStatus.NoSignChange, double.NaN, 0, "dated", false);
        }

        var first = flows.Min(f => f.Date);
        var amounts = flows.Select(f => (double)f.Amount.Pence).ToArray();
        var times = flows.Select(f => (f.Date.DayNumber - first.DayNumber) / 365.0).ToArray();
        return Solve(amounts, times, "dated, actual/365");
    }

    /// <summary>NPV at rate <paramref name="rate"/> of flows at times <paramref name="times"/> (in years or periods).</summary>
    public static double Npv(double rate, IReadOnlyList<double> amounts, IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        ArgumentNullException.ThrowIfNull(times);
        var sum = 0.0;
        for (var i = 0; i < amounts.Count; i++)
        {
            sum += amounts[i] / Math.Pow(1 + rate, times[i]);
        }

        return sum;
    }

    private static double Derivative(double rate, double[] amounts, double[] times)
    {
        var sum = 0.0;
        for (var i = 0; i < amounts.Length; i++)
        {
            sum -= times[i] * amounts[i] / Math.Pow(1 + rate, times[i] + 1);
        }

        return sum;
    }

    private static IrrResult Solve(double[] amounts, double[] times, string method)
    {
        var nonZero = amounts.Where(a => a != 0).ToArray();
        var signChanges = 0;
        for (var i = 1; i < nonZero.Length; i++)
        {
            if (Math.Sign(nonZero[i]) != Math.Sign(nonZero[i - 1]))
            {
                signChanges++;
            }
        }

        if (signChanges == 0)
        {
            return new IrrResult(IrrStatus.NoSignChange, double.NaN, 0, method, false);
        }

        var scale = nonZero.Sum(Math.Abs);
        var tolerance = scale * 1e-13;

        // Bracket: scan outward from 0 on a widening grid, nearest-to-zero bracket first.
        if (!TryBracket(amounts, times, out var lo, out var hi))
        {
            return new IrrResult(IrrStatus.NotBracketed, double.NaN, 0, method, signChanges > 1);
        }

        var fLo = Npv(lo, amounts, times);
        var x = (lo + hi) / 2;
        var used = "Newton with bisection safeguard";
        for (var iteration = 1; iteration <= 200; iteration++)
        {
            var f = Npv(x, amounts, times);
            if (Math.Abs(f) < tolerance || hi - lo < 1e-14)
            {
                return new IrrResult(IrrStatus.Solved, x, iteration, $"{method}, {used}", signChanges > 1);
            }

            if (Math.Sign(f) == Math.Sign(fLo))
            {
                lo = x;
                fLo = f;
            }
            else
            {
                hi = x;
            }

            var d = Derivative(x, amounts, times);
            var newton = d != 0 ? x - (f / d) : double.NaN;
            var width = hi - lo;
            x = double.IsFinite(newton) && newton > lo && newton < hi && Math.Abs(newton - x) < width ? newton : (lo + hi) / 2;
        }

        return new IrrResult(IrrStatus.Solved, x, 200, $"{method}, {used} (iteration limit)", signChanges > 1);
    }

    private static bool TryBracket(double[] amounts, double[] times, out double lo, out double hi)
    {
        // Grid points: 0, ±0.01, ±0.02, … growing geometrically, clipped to [MinRate, MaxRate].
        var grid = new List<double> { 0 };
        for (var step = 0.01; step < MaxRate; step *= 1.25)
        {
            grid.Add(step);
            if (-step > MinRate)
            {
                grid.Add(-step);
            }
        }

        grid.Add(MinRate);
        grid.Add(MaxRate);
        var ordered = grid.Distinct().Order().ToArray();
        var values = ordered.Select(r => Npv(r, amounts, times)).ToArray();
        var zeroIndex = Array.IndexOf(ordered, 0.0);

        // Search pairs outward from zero so the root nearest 0% is found first.
        for (var k = 0; k < ordered.Length; k++)
        {
            foreach (var i in new[] { zeroIndex + k, zeroIndex - k - 1 })
            {
                if (i < 0 || i + 1 >= ordered.Length)
                {
                    continue;
                }

                if (values[i] == 0)
                {
                    lo = ordered[i];
                    hi = ordered[i];
                    return true;
                }

                if (Math.Sign(values[i]) != Math.Sign(values[i + 1]) && double.IsFinite(values[i]) && double.IsFinite(values[i + 1]))
                {
                    lo = ordered[i];
                    hi = ordered[i + 1];
                    return true;
                }
            }
        }

        lo = hi = double.NaN;
        return false;
    }
}
