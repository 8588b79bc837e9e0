using Hearth.Core.Finance.UnitCosts;
using YamlDotNet.RepresentationModel;

namespace Hearth.Core.Finance.Contracts;

/// <summary>
/// Loads an outcomes contract from YAML (format in docs/money.md). Rate-card prices are given in pounds or
/// derived from a unit cost (<c>price_from_unit_cost</c>: the cost uprated to a price year, divided, times a share).
/// Cohort-threshold and care-days rules, when present, generate the validated outcomes for their metric.
/// </summary>
public static class ContractFile
{
    public static (OutcomeContract Contract, IReadOnlyList<CohortDecision> Cohorts) Load(string path, UnitCostDatabase costs, GdpDeflator deflator)
    {
        using var reader = new StreamReader(path);
        return Load(reader, path, costs, deflator);
    }

    public static (OutcomeContract Contract, IReadOnlyList<CohortDecision> Cohorts) Load(TextReader reader, string file, UnitCostDatabase costs, GdpDeflator deflator)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(deflator);
        var y = YamlInput.Load(reader, file);
        y.AllowOnly(y.Root, "contract", "rate_card", "drawdowns", "outcomes", "cohort_rule", "care_days_rule");
        var c = y.Map(y.Root, "contract");
        y.AllowOnly(c, "name", "kind", "outcome_payer", "provider", "investor", "start", "committed_capital", "outcome_cap",
            "investor_return_cap", "investor_share", "pass_through", "notes");
        var kindText = y.String(c, "kind");
        var kind = kindText switch
        {
            "sib" => ContractKind.SocialImpactBond,
            "pbr" => ContractKind.PaymentByResults,
            _ => throw y.Error(YamlInput.Node(c, "kind")!, "kind", $"'{kindText}' should be sib or pbr"),
        };

        PassThrough? pass = null;
        if (y.OptionalMap(c, "pass_through") is { } p)
        {
            y.AllowOnly(p, "provider", "share", "rounding");
            var roundingText = y.OptionalString(p, "rounding") ?? "nearest";
            var rounding = roundingText switch
            {
                "nearest" => ShareRounding.Nearest,
                "down" => ShareRounding.Down,
                _ => throw y.Error(YamlInput.Node(p, "rounding")!, "rounding", "should be nearest or down"),
            };
            pass = new PassThrough(y.String(p, "provider"), y.Decimal(p, "share", 0, 1), rounding);
        }

        var rateCard = new List<RateCardEntry>();
        foreach (var r in y.List(y.Root, "rate_card", required: true))
        {
            y.AllowOnly(r, "metric", "definition", "price", "price_from_unit_cost", "cap", "validation_method", "data_source");
            var metric = y.String(r, "metric");
            if (rateCard.Any(e => e.MetricId == metric))
            {
                throw y.Error(r, "metric", $"{metric} appears twice on the rate card");
            }

            Money price;
            string priceDescription;
            if (y.OptionalMap(r, "price_from_unit_cost") is { } from)
            {
                y.AllowOnly(from, "code", "value", "price_year", "divide_by", "share");
                var code = y.String(from, "code");
                var cost = costs.Find(code) ?? throw y.Error(from, "code", $"no unit cost {code}");
                var kindName = y.OptionalString(from, "value") ?? "fiscal";
                var valueKind = kindName switch
                {
                    "fiscal" => ValueKind.Fiscal,
                    "economic" => ValueKind.Economic,
                    "social" => ValueKind.Social,
                    _ => throw y.Error(from, "value", "should be fiscal, economic or social"),
                };
                var value = cost.Value(valueKind) ?? throw y.Error(from, "value", $"{code} has no {kindName} value");
                var year = y.OptionalYear(from, "price_year") ?? new PriceYear(2015);
                var divide = y.OptionalDecimal(from, "divide_by", 0.0001m) ?? 1m;
                var share = y.Decimal(from, "share", 0, 1);
                Money uprated;
                try
                {
                    uprated = deflator.Uprate(value.Amount, value.PriceYear, year);
                }
                catch (KeyNotFoundException e)
                {
                    throw y.Error(from, "price_year", e.Message);
                }

                price = uprated.MultiplyBy(share / divide);
                priceDescription = FormattableString.Invariant($"{code} {kindName} {uprated} ({year} prices) ÷ {divide} × {share} = {price}");
            }
            else
            {
                price = y.Money(r, "price");
                priceDescription = "price per unit";
            }

            rateCard.Add(new RateCardEntry(metric, y.OptionalString(r, "definition") ?? string.Empty, price, y.OptionalMoney(r, "cap"),
                y.OptionalString(r, "validation_method") ?? string.Empty, y.OptionalString(r, "data_source") ?? string.Empty, priceDescription));
        }

        var drawdowns = y.List(y.Root, "drawdowns", required: false).Select(d =>
        {
            y.AllowOnly(d, "date", "amount");
            return new Drawdown(y.Date(d, "date"), y.Money(d, "amount"));
        }).ToList();

        var outcomes = new List<ValidatedOutcomes>();
        foreach (var o in y.List(y.Root, "outcomes", required: false))
        {
            y.AllowOnly(o, "date", "metric", "count", "period", "evidence");
            var metric = y.String(o, "metric");
            if (rateCard.All(r => r.MetricId != metric))
            {
                throw y.Error(o, "metric", $"{metric} is not on the rate card");
            }

            outcomes.Add(new ValidatedOutcomes(y.Date(o, "date"), metric, y.Decimal(o, "count", 0), y.OptionalString(o, "period") ?? string.Empty, y.OptionalString(o, "evidence") ?? string.Empty));
        }

        var notes = new List<string>();
        IReadOnlyList<CohortDecision> decisions = [];
        if (y.OptionalMap(y.Root, "cohort_rule") is { } cr)
        {
            y.AllowOnly(cr, "metric", "cohort_threshold", "overall_threshold", "final_measurement", "cohorts");
            var metric = RequireMetric(y, cr, rateCard);
            var cohorts = y.List(cr, "cohorts", required: true).Select(m =>
            {
                y.AllowOnly(m, "id", "size", "baseline_per_100", "observed_per_100", "measured_on");
                return new CohortMeasurement(y.String(m, "id"), y.Int(m, "size", 1, 10_000_000), y.Decimal(m, "baseline_per_100", 0.0001m),
                    y.Decimal(m, "observed_per_100", 0), y.Date(m, "measured_on"));
            }).ToList();
            var rule = new CohortThresholdRule(metric, y.Decimal(cr, "cohort_threshold", 0, 1), y.Decimal(cr, "overall_threshold", 0, 1), y.Date(cr, "final_measurement"), cohorts);
            var applied = rule.Apply();
            outcomes.AddRange(applied.Outcomes);
            decisions = applied.Decisions;
            notes.AddRange(applied.Decisions.Select(d => d.Explanation));
            notes.Add(applied.Final);
        }

        if (y.OptionalMap(y.Root, "care_days_rule") is { } cd)
        {
            y.AllowOnly(cd, "metric", "control_proportion", "target_proportion", "periods");
            var metric = RequireMetric(y, cd, rateCard);
            var periods = y.List(cd, "periods", required: true).Select(m =>
            {
                y.AllowOnly(m, "paid_on", "period", "child_days", "care_days");
                var childDays = y.Decimal(m, "child_days", 1);
                var careDays = y.Decimal(m, "care_days", 0);
                if (careDays > childDays)
                {
                    throw y.Error(m, "care_days", "care days cannot exceed child days");
                }

                return new CareDaysPeriod(y.Date(m, "paid_on"), y.String(m, "period"), childDays, careDays);
            }).ToList();
            var applied = new CareDaysRule(metric, y.Decimal(cd, "control_proportion", 0, 1), y.Decimal(cd, "target_proportion", 0, 1), periods).Apply();
            outcomes.AddRange(applied.Outcomes);
            notes.AddRange(applied.Notes);
        }

        var contract = new OutcomeContract
        {
            Name = y.String(c, "name"),
            Kind = kind,
            OutcomePayer = y.OptionalString(c, "outcome_payer") ?? "Commissioner",
            Provider = y.OptionalString(c, "provider") ?? "Provider",
            Investor = y.OptionalString(c, "investor") ?? "Investors",
            Start = y.Date(c, "start"),
            CommittedCapital = y.OptionalMoney(c, "committed_capital") ?? Money.Zero,
            OutcomeCap = y.OptionalMoney(c, "outcome_cap"),
            InvestorReturnCap = y.OptionalDecimal(c, "investor_return_cap", 0, 10),
            InvestorShare = y.OptionalDecimal(c, "investor_share", 0, 1) ?? 1m,
            PassThrough = pass,
            RateCard = rateCard,
            Drawdowns = drawdowns,
            Outcomes = outcomes.OrderBy(o => o.Date).ToList(),
            RuleNotes = notes,
        };
        if (kind == ContractKind.SocialImpactBond && drawdowns.Count == 0)
        {
            throw y.Error(y.Root, "drawdowns", "a social impact bond needs at least one capital drawdown");
        }

        if (kind == ContractKind.PaymentByResults && drawdowns.Count > 0)
        {
            throw y.Error(y.Root, "drawdowns", "a pbr contract has no investor drawdowns; use kind: sib");
        }

        return (contract, decisions);
    }

    private static string RequireMetric(YamlInput y, YamlMappingNode map, List<RateCardEntry> rateCard)
    {
        var metric = y.String(map, "metric");
        return rateCard.Any(r => r.MetricId == metric) ? metric : throw y.Error(map, "metric", $"{metric} is not on the rate card");
    }
}
