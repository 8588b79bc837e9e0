using Hearth.Core.Finance.UnitCosts;
using YamlDotNet.RepresentationModel;

namespace Hearth.Core.Finance.Cba;

/// <summary>
/// Loads a CBA input from YAML (format in docs/money.md) and checks it against the unit-cost table and the
/// deflator before anything runs: unknown keys, missing fields, out-of-range rates, unknown unit codes or
/// confidence grades, and price years the deflator does not cover are all rejected with file, line and reason.
/// </summary>
public static class CbaFile
{
    public static CbaInput Load(string path, UnitCostDatabase costs, GdpDeflator deflator)
    {
        using var reader = new StreamReader(path);
        return Load(reader, path, costs, deflator);
    }

    public static CbaInput Load(TextReader reader, string file, UnitCostDatabase costs, GdpDeflator deflator)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(deflator);
        var y = YamlInput.Load(reader, file);
        y.AllowOnly(y.Root, "analysis", "optimism_bias", "cashability", "costs", "outcomes");

        var a = y.Map(y.Root, "analysis");
        y.AllowOnly(a, "name", "price_year", "first_year", "horizon_years", "payback", "discount", "notes");
        var priceYear = y.Year(a, "price_year");
        RequireCovered(y, a, "price_year", priceYear, deflator);
        var horizon = y.Int(a, "horizon_years", 1, 200);
        var paybackText = y.OptionalString(a, "payback") ?? "discounted";
        var payback = paybackText switch
        {
            "discounted" => PaybackBasis.Discounted,
            "undiscounted" => PaybackBasis.Undiscounted,
            _ => throw y.Error(YamlInput.Node(a, "payback")!, "payback", "should be discounted or undiscounted"),
        };

        IReadOnlyList<DiscountBand> discount = CbaInput.GreenBook;
        switch (YamlInput.Node(a, "discount"))
        {
            case null:
            case YamlScalarNode { Value: "green_book" }:
                break;
            case YamlSequenceNode:
                discount = y.List(a, "discount", required: true).Select(b =>
                {
                    y.AllowOnly(b, "to_year", "rate");
                    return new DiscountBand(y.Int(b, "to_year", 1, 1000), y.Decimal(b, "rate", -0.5m, 1m));
                }).ToList();
                if (discount.Zip(discount.Skip(1)).Any(p => p.Second.ToYear <= p.First.ToYear))
                {
                    throw y.Error(YamlInput.Node(a, "discount")!, "discount", "bands must be in increasing to_year order");
                }

                break;
            case var other:
                throw y.Error(other, "discount", "should be green_book or a list of { to_year, rate } bands");
        }

        if (discount[^1].ToYear < horizon - 1)
        {
            throw y.Error(a, "horizon_years", FormattableString.Invariant(
                $"the discount schedule stops at year {discount[^1].ToYear} but the horizon needs year {horizon - 1}; add a band (the Green Book schedule beyond year 75 is not built in)"));
        }

        var ob = y.Map(y.Root, "optimism_bias");
        y.AllowOnly(ob, "source", "grades");
        var source = y.String(ob, "source");
        var grades = new Dictionary<string, OptimismBiasGrade>(StringComparer.Ordinal);
        foreach (var g in y.List(ob, "grades", required: true))
        {
            y.AllowOnly(g, "grade", "costs", "benefits", "description");
            var grade = y.String(g, "grade");
            if (!grades.TryAdd(grade, new OptimismBiasGrade(grade, y.Decimal(g, "costs", 0, 10), y.Decimal(g, "benefits", 0, 1), y.OptionalString(g, "description") ?? string.Empty)))
            {
                throw y.Error(g, "grade", $"grade {grade} appears twice");
            }
        }

        var cash = y.Map(y.Root, "cashability");
        y.AllowOnly(cash, "default", "agencies");
        var defaultCash = y.Decimal(cash, "default", 0, 1);
        var agencyCash = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        if (y.OptionalMap(cash, "agencies") is { } agencies)
        {
            foreach (var (key, _) in agencies.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                agencyCash[name] = y.Decimal(agencies, name, 0, 1);
            }
        }

        var costLines = new List<CostLine>();
        foreach (var c in y.List(y.Root, "costs", required: true))
        {
            y.AllowOnly(c, "id", "agency", "type", "year", "amount", "price_year", "grade", "description");
            var typeText = y.String(c, "type");
            var type = typeText switch
            {
                "capital" => CostType.Capital,
                "revenue" => CostType.Revenue,
                "in_kind" or "in-kind" => CostType.InKind,
                _ => throw y.Error(YamlInput.Node(c, "type")!, "type", $"'{typeText}' should be capital, revenue or in_kind"),
            };
            var costYear = y.OptionalYear(c, "price_year") ?? priceYear;
            RequireCovered(y, c, "price_year", costYear, deflator);
            var grade = y.String(c, "grade");
            RequireGrade(y, c, grade, grades);
            var id = y.String(c, "id");
            costLines.Add(new CostLine(id, y.String(c, "agency"), type, y.Int(c, "year", 0, horizon - 1), y.Money(c, "amount"), costYear, grade, y.OptionalString(c, "description") ?? string.Empty));
        }

        var outcomes = new List<OutcomeLine>();
        foreach (var o in y.List(y.Root, "outcomes", required: true))
        {
            y.AllowOnly(o, "id", "description", "unit_cost", "values", "need", "engagement", "impact", "deadweight", "attribution",
                "start_year", "lag", "duration", "drop_off", "grade", "cashability");
            var id = y.String(o, "id");
            if (outcomes.Any(x => x.Id == id))
            {
                throw y.Error(o, "id", $"outcome {id} appears twice");
            }

            var code = y.String(o, "unit_cost");
            var unit = costs.Find(code) ?? throw y.Error(YamlInput.Node(o, "unit_cost")!, "unit_cost", $"no unit cost {code} in {string.Join("; ", costs.Editions)}");
            var values = y.StringList(o, "values").Select(v => v switch
            {
                "fiscal" => ValueKind.Fiscal,
                "economic" => ValueKind.Economic,
                "social" => ValueKind.Social,
                _ => throw y.Error(YamlInput.Node(o, "values")!, "values", $"'{v}' should be fiscal, economic or social"),
            }).Distinct().ToList();
            if (values.Count == 0)
            {
                values = [.. new[] { ValueKind.Fiscal, ValueKind.Economic, ValueKind.Social }.Where(k => unit.Value(k) is not null)];
            }

            foreach (var kind in values)
            {
                var v = unit.Value(kind) ?? throw y.Error(YamlInput.Node(o, "values") ?? o, "values", $"{code} has no {kind.ToString().ToLowerInvariant()} value");
                RequireCovered(y, o, "unit_cost", v.PriceYear, deflator);
                if (kind == ValueKind.Fiscal)
                {
                    foreach (var part in costs.FiscalSplit(unit))
                    {
                        RequireCovered(y, o, "unit_cost", part.Fiscal!.PriceYear, deflator);
                    }
                }
            }

            var grade = y.String(o, "grade");
            RequireGrade(y, o, grade, grades);
            outcomes.Add(new OutcomeLine
            {
                Id = id,
                Description = y.OptionalString(o, "description") ?? unit.Description,
                UnitCode = unit.Code,
                Values = values,
                Need = y.Decimal(o, "need", 0),
                Engagement = y.OptionalDecimal(o, "engagement", 0, 1) ?? 1m,
                Impact = y.Decimal(o, "impact", 0, 1),
                Deadweight = y.OptionalDecimal(o, "deadweight", 0, 1) ?? 0m,
                Attribution = y.OptionalDecimal(o, "attribution", 0, 1) ?? 1m,
                StartYear = y.OptionalInt(o, "start_year", 0, horizon - 1) ?? 0,
                Lag = y.OptionalInt(o, "lag", 0, 100) ?? 0,
                Duration = y.OptionalInt(o, "duration", 1, 200) ?? 1,
                DropOff = y.OptionalDecimal(o, "drop_off", 0, 1) ?? 0m,
                Grade = grade,
                Cashability = y.OptionalDecimal(o, "cashability", 0, 1),
                SourceLine = (int)o.Start.Line,
            });
        }

        return new CbaInput
        {
            Name = y.String(a, "name"),
            PriceYear = priceYear,
            FirstYear = y.OptionalYear(a, "first_year") ?? priceYear,
            HorizonYears = horizon,
            Payback = payback,
            Discount = discount,
            OptimismBiasSource = source,
            OptimismBias = grades,
            DefaultCashability = defaultCash,
            AgencyCashability = agencyCash,
            Costs = costLines,
            Outcomes = outcomes,
        };
    }

    private static void RequireCovered(YamlInput y, YamlMappingNode node, string field, PriceYear year, GdpDeflator deflator)
    {
        if (!deflator.Covers(year))
        {
            throw y.Error(YamlInput.Node(node, field) ?? node, field,
                $"{year} is not in the GDP deflator series ({deflator.Source}); load later years with --deflator FILE");
        }
    }

    private static void RequireGrade(YamlInput y, YamlMappingNode node, string grade, Dictionary<string, OptimismBiasGrade> grades)
    {
        if (!grades.ContainsKey(grade))
        {
            throw y.Error(YamlInput.Node(node, "grade")!, "grade",
                $"confidence grade '{grade}' has no optimism-bias percentages; add it under optimism_bias.grades (Hearth ships no default percentages)");
        }
    }
}
