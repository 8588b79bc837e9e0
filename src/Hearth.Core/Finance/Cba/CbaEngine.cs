using Hearth.Core.Finance.UnitCosts;

namespace Hearth.Core.Finance.Cba;

/// <summary>One cost line in one year, uprated, corrected for optimism bias and discounted.</summary>
public sealed record CostRow(int Year, string LineId, string Agency, CostType Type, Money Nominal, decimal UprateFactor, Money Uprated, decimal OptimismUplift, Money Adjusted, decimal DiscountFactor, Money PresentValue);

/// <summary>
/// One monetised benefit: an outcome line's changes in one year, valued with one unit-cost value for one agency.
/// <see cref="Amount"/> = round(Count × UnitValue); <see cref="Cashable"/> = round(Amount × Cashability) (fiscal only);
/// present values = round(figure × discount factor). Public value counts fiscal non-transfer, economic and social.
/// </summary>
public sealed record BenefitRow(
    int Year,
    string LineId,
    string UnitCode,
    ValueKind Kind,
    string Agency,
    bool Transfer,
    decimal Count,
    Money UnitValue,
    Money Amount,
    decimal Cashability,
    Money Cashable,
    decimal DiscountFactor,
    Money PresentValue,
    Money CashablePresentValue,
    bool CountsInPublicValue);

/// <summary>An outcome line's yearly change counts and how they were reached.</summary>
public sealed record OutcomeProfile(string LineId, decimal BeforeBias, decimal BenefitReduction, decimal PerYearAtPeak, IReadOnlyList<decimal> CountByYear, string Explanation);

/// <summary>The analysis year by year.</summary>
public sealed record YearRow(
    int Year,
    PriceYear Label,
    decimal DiscountFactor,
    Money Costs,
    Money CostsPv,
    Money Fiscal,
    Money FiscalPv,
    Money Cashable,
    Money CashablePv,
    Money PublicValue,
    Money PublicValuePv,
    Money CumulativeCosts,
    Money CumulativeCashable);

/// <summary>Who bears the costs and who receives the fiscal benefits (H9), in present values.</summary>
public sealed record AgencyRow(string Agency, Money CostsPv, Money FiscalPv, Money CashablePv, Money NetCashablePv);

/// <summary>Every output of a CBA with the intermediate figures behind it.</summary>
public sealed record CbaResult(
    CbaInput Input,
    IReadOnlyList<CostRow> Costs,
    IReadOnlyList<BenefitRow> Benefits,
    IReadOnlyList<OutcomeProfile> Profiles,
    IReadOnlyList<YearRow> Years,
    IReadOnlyList<AgencyRow> WhoBenefits,
    Money CostsPv,
    Money FiscalPv,
    Money CashablePv,
    Money EconomicPv,
    Money SocialPv,
    Money TransferPv,
    Money PublicValuePv,
    Money NetPresentBudgetImpact,
    decimal? FinancialRoiRatio,
    decimal? FinancialRoiPercent,
    int? PaybackYear,
    string PaybackNote,
    Money NetPresentPublicValue,
    decimal? BenefitCostRatio);

/// <summary>
/// The New Economy / HM Treasury (2014) cost-benefit method (rules H1–H10). Every figure is whole pence:
/// each product is rounded to the penny (halves away from zero) where it is formed, and totals are sums of
/// the rounded figures, so an analyst can re-add any total from the exported rows.
/// </summary>
public static class CbaEngine
{
    public static CbaResult Run(CbaInput input, UnitCostDatabase costs, GdpDeflator deflator)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(deflator);
        var factors = DiscountFactors(input.Discount, input.HorizonYears);

        var costRows = new List<CostRow>();
        foreach (var line in input.Costs)
        {
            if (line.Year < 0 || line.Year >= input.HorizonYears)
            {
                continue;
            }

            var uprate = deflator.Factor(line.PriceYear, input.PriceYear);
            var uprated = line.Amount.MultiplyBy(uprate);
            var uplift = Grade(input, line.Grade).CostUplift;
            var adjusted = uprated.MultiplyBy(1 + uplift);
            costRows.Add(new CostRow(line.Year, line.Id, line.Agency, line.Type, line.Amount, uprate, uprated, uplift, adjusted, factors[line.Year], adjusted.MultiplyBy(factors[line.Year])));
        }

        var benefitRows = new List<BenefitRow>();
        var profiles = new List<OutcomeProfile>();
        foreach (var line in input.Outcomes)
        {
            var unit = costs.Find(line.UnitCode) ?? throw new KeyNotFoundException($"outcome {line.Id}: no unit cost {line.UnitCode}");
            var profile = Profile(input, line);
            profiles.Add(profile);

            // Value components: fiscal split by agency (constituent lines), economic and social whole.
            var components = new List<(ValueKind Kind, UnitCost Source, UnitCostValue Value)>();
            foreach (var kind in line.Values)
            {
                if (kind == ValueKind.Fiscal)
                {
                    components.AddRange(costs.FiscalSplit(unit).Where(c => c.Fiscal is not null).Select(c => (kind, c, c.Fiscal!)));
                }
                else if (unit.Value(kind) is { } v)
                {
                    components.Add((kind, unit, v));
                }
            }

            foreach (var (kind, source, value) in components)
            {
                var unitValue = deflator.Uprate(value.Amount, value.PriceYear, input.PriceYear);
                var agency = kind == ValueKind.Fiscal ? AgencyOf(source) : kind == ValueKind.Economic ? "Economy (economic value)" : "Society (social value)";
                var transfer = kind == ValueKind.Fiscal && source.IsTransferPayment;
                var cashability = kind == ValueKind.Fiscal ? CashabilityFor(input, line, agency) : 0m;
                for (var year = 0; year < input.HorizonYears; year++)
                {
                    var count = profile.CountByYear[year];
                    if (count == 0)
                    {
                        continue;
                    }

                    var amount = unitValue.MultiplyBy(count);
                    var cashable = kind == ValueKind.Fiscal ? amount.MultiplyBy(cashability) : Money.Zero;
                    benefitRows.Add(new BenefitRow(year, line.Id, source.Code, kind, agency, transfer, count, unitValue, amount, cashability, cashable,
                        factors[year], amount.MultiplyBy(factors[year]), cashable.MultiplyBy(factors[year]), !transfer));
                }
            }
        }

        // Year table.
        var years = new List<YearRow>();
        Money cumCosts = Money.Zero, cumCashable = Money.Zero;
        var costsByYear = costRows.ToLookup(c => c.Year);
        var benefitsByYear = benefitRows.ToLookup(b => b.Year);
        for (var year = 0; year < input.HorizonYears; year++)
        {
            var yc = costsByYear[year].ToList();
            var yb = benefitsByYear[year].ToList();
            var fiscal = yb.Where(b => b.Kind == ValueKind.Fiscal).ToList();
            var pub = yb.Where(b => b.CountsInPublicValue).ToList();
            var row = new YearRow(year, input.FirstYear.AddYears(year), factors[year],
                Sum(yc.Select(c => c.Adjusted)), Sum(yc.Select(c => c.PresentValue)),
                Sum(fiscal.Select(b => b.Amount)), Sum(fiscal.Select(b => b.PresentValue)),
                Sum(fiscal.Select(b => b.Cashable)), Sum(fiscal.Select(b => b.CashablePresentValue)),
                Sum(pub.Select(b => b.Amount)), Sum(pub.Select(b => b.PresentValue)),
                Money.Zero, Money.Zero);
            var discounted = input.Payback == PaybackBasis.Discounted;
            cumCosts += discounted ? row.CostsPv : row.Costs;
            cumCashable += discounted ? row.CashablePv : row.Cashable;
            years.Add(row with { CumulativeCosts = cumCosts, CumulativeCashable = cumCashable });
        }

        var costsPv = Sum(costRows.Select(c => c.PresentValue));
        var fiscalRows = benefitRows.Where(b => b.Kind == ValueKind.Fiscal).ToList();
        var fiscalPv = Sum(fiscalRows.Select(b => b.PresentValue));
        var cashablePv = Sum(fiscalRows.Select(b => b.CashablePresentValue));
        var economicPv = Sum(benefitRows.Where(b => b.Kind == ValueKind.Economic).Select(b => b.PresentValue));
        var socialPv = Sum(benefitRows.Where(b => b.Kind == ValueKind.Social).Select(b => b.PresentValue));
        var transferPv = Sum(fiscalRows.Where(b => b.Transfer).Select(b => b.PresentValue));
        var publicPv = Sum(benefitRows.Where(b => b.CountsInPublicValue).Select(b => b.PresentValue));

        decimal? roi = costsPv.Pence > 0 ? (decimal)cashablePv.Pence / costsPv.Pence : null;
        decimal? roiPercent = roi - 1;
        int? payback = null;
        string paybackNote;
        var basis = input.Payback == PaybackBasis.Discounted ? "discounted" : "undiscounted";
        if (roi is null || roi <= 1)
        {
            paybackNote = $"not reported: financial ROI is not positive (cashable fiscal benefits do not exceed costs in present value)";
        }
        else
        {
            payback = years.FirstOrDefault(y => y.CumulativeCashable >= y.CumulativeCosts && y.CumulativeCosts.Pence > 0)?.Year;
            paybackNote = payback is { } p
                ? $"year {p} ({input.FirstYear.AddYears(p)}): first year cumulative {basis} cashable fiscal benefits ≥ cumulative {basis} costs"
                : $"no payback within {input.HorizonYears} years ({basis})";
        }

        // Agencies are matched without regard to case ("Local authority" and "Local Authority" are one agency).
        var agencies = costRows.Select(c => c.Agency).Concat(fiscalRows.Select(b => b.Agency)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase);
        var costsByAgency = costRows.ToLookup(r => r.Agency, StringComparer.OrdinalIgnoreCase);
        var fiscalByAgency = fiscalRows.ToLookup(r => r.Agency, StringComparer.OrdinalIgnoreCase);
        var who = agencies.Select(a =>
        {
            var c = Sum(costsByAgency[a].Select(r => r.PresentValue));
            var f = Sum(fiscalByAgency[a].Select(r => r.PresentValue));
            var k = Sum(fiscalByAgency[a].Select(r => r.CashablePresentValue));
            return new AgencyRow(a, c, f, k, k - c);
        }).ToList();

        return new CbaResult(input, costRows, benefitRows, profiles, years, who, costsPv, fiscalPv, cashablePv, economicPv, socialPv, transferPv, publicPv,
            cashablePv - costsPv, roi, roiPercent, payback, paybackNote, publicPv - costsPv,
            costsPv.Pence > 0 ? (decimal)publicPv.Pence / costsPv.Pence : null);
    }

    /// <summary>
    /// DF(0) = 1; DF(t) = DF(t − 1) ÷ (1 + r_t), r_t the rate of the band containing year t (Green Book: 3.5% to
    /// year 30, 3.0% from year 31). Exact decimals, not rounded.
    /// </summary>
    public static decimal[] DiscountFactors(IReadOnlyList<DiscountBand> bands, int years)
    {
        ArgumentNullException.ThrowIfNull(bands);
        var factors = new decimal[years];
        var df = 1m;
        for (var t = 0; t < years; t++)
        {
            if (t > 0)
            {
                var band = bands.FirstOrDefault(b => t <= b.ToYear)
                    ?? throw new ArgumentException(FormattableString.Invariant($"the discount schedule stops at year {bands[^1].ToYear}; year {t} needs a rate"), nameof(bands));
                df /= 1 + band.Rate;
            }

            factors[t] = df;
        }

        return factors;
    }

    /// <summary>Count of outcome changes in each analysis year (H2 with lag, duration and drop-off).</summary>
    public static OutcomeProfile Profile(CbaInput input, OutcomeLine line)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(line);
        var before = line.Need * line.Engagement * line.Impact * (1 - line.Deadweight) * line.Attribution;
        var reduction = Grade(input, line.Grade).BenefitReduction;
        var peak = before * (1 - reduction);
        var counts = new decimal[input.HorizonYears];
        var first = line.StartYear + line.Lag;
        var effect = peak;
        for (var k = 0; k < line.Duration; k++)
        {
            var year = first + k;
            if (k > 0)
            {
                effect *= 1 - line.DropOff;
            }

            if (year >= 0 && year < input.HorizonYears)
            {
                counts[year] = effect;
            }
        }

        var explanation = FormattableString.Invariant(
            $"{line.Need} × {line.Engagement} × {line.Impact} × (1 − {line.Deadweight}) × {line.Attribution} = {before:0.####}; × (1 − {reduction} optimism bias, grade {line.Grade}) = {peak:0.####} a year from year {first} for {line.Duration} years, falling {Percent.Format(line.DropOff, 1)} a year");
        return new OutcomeProfile(line.Id, before, reduction, peak, counts, explanation);
    }

    private static OptimismBiasGrade Grade(CbaInput input, string grade) =>
        input.OptimismBias.TryGetValue(grade, out var g)
            ? g
            : throw new KeyNotFoundException($"confidence grade '{grade}' has no optimism-bias percentages in the input");

    private static decimal CashabilityFor(CbaInput input, OutcomeLine line, string agency)
    {
        if (line.Cashability is { } own)
        {
            return own;
        }

        foreach (var (name, factor) in input.AgencyCashability)
        {
            if (string.Equals(name, agency, StringComparison.OrdinalIgnoreCase))
            {
                return factor;
            }
        }

        return input.DefaultCashability;
    }

    /// <summary>Agency a fiscal benefit accrues to: level 1, or "Unattributed" when the table gives none.</summary>
    private static string AgencyOf(UnitCost cost) => string.IsNullOrWhiteSpace(cost.AgencyL1) ? "Unattributed" : cost.AgencyL1;

    private static Money Sum(IEnumerable<Money> values) => values.Aggregate(Money.Zero, Money.Add);
}
