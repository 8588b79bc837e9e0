using System.Globalization;
using Hearth.Core.Data;
using Hearth.Core.Finance;
using Hearth.Core.Finance.Cba;
using Hearth.Core.Finance.Store;
using Hearth.Core.Finance.UnitCosts;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Money;

/// <summary>One outcome row of the what-if form (all text, parsed with reasons).</summary>
public sealed class WhatIfOutcome
{
    public string? Code { get; set; }
    public string? Need { get; set; }
    public string? Engagement { get; set; }
    public string? Impact { get; set; }
    public string? Deadweight { get; set; }
    public string? Lag { get; set; }
    public string? Duration { get; set; }
    public string? DropOff { get; set; }
}

/// <summary>
/// A cost-benefit what-if: a yearly service cost and up to three outcomes valued with unit costs, run through the
/// New Economy / HM Treasury (2014) method. A plain GET form, so it works without JavaScript; nothing is saved.
/// </summary>
[Authorize(Policy = HearthPolicies.ViewMoney)]
public sealed class CbaModel(HearthDb db, TimeProvider clock) : PageModel
{
    public const int OutcomeRows = 3;

    [BindProperty(SupportsGet = true)]
    public string PriceYear { get; set; } = "2015/16";

    [BindProperty(SupportsGet = true)]
    public string Horizon { get; set; } = "10";

    [BindProperty(SupportsGet = true)]
    public string Cost { get; set; } = "450000";

    [BindProperty(SupportsGet = true)]
    public string CostYears { get; set; } = "3";

    [BindProperty(SupportsGet = true)]
    public string CostAgency { get; set; } = "Local Authority";

    [BindProperty(SupportsGet = true)]
    public string Cashability { get; set; } = "0.5";

    [BindProperty(SupportsGet = true)]
    public string CostUplift { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string BenefitReduction { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string BiasSource { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public List<WhatIfOutcome> Outcomes { get; set; } = [];

    [BindProperty(SupportsGet = true)]
    public bool Run { get; set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public CbaResult? Result { get; private set; }

    public IReadOnlyList<ReportTable> Tables { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Outcomes.Count == 0)
        {
            Outcomes.Add(new WhatIfOutcome { Code = "E&E1.0", Need = "150", Engagement = "0.75", Impact = "0.2", Deadweight = "0.35", Lag = "1", Duration = "3", DropOff = "0.3" });
            Outcomes.Add(new WhatIfOutcome { Code = "CR8.0", Need = "400", Engagement = "0.75", Impact = "0.25", Deadweight = "0.2", Lag = "0", Duration = "2", DropOff = "0.5" });
        }

        while (Outcomes.Count < OutcomeRows)
        {
            Outcomes.Add(new WhatIfOutcome());
        }

        if (!Run)
        {
            return;
        }

        var costs = await new LocalCostStore(db, clock).CatalogueAsync(cancellationToken);
        var deflator = GdpDeflator.UcdV14();
        var input = Input(costs, deflator);
        if (input is null)
        {
            return;
        }

        try
        {
            Result = CbaEngine.Run(input, costs, deflator);
            Tables = CbaReport.Tables(Result);
        }
        catch (Exception e) when (e is FinanceInputException or KeyNotFoundException or ArgumentException)
        {
            Errors["run"] = e.Message;
        }
    }

    public static string Text(object? value) => value switch
    {
        null => "–",
        decimal d => d.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private CbaInput? Input(UnitCostDatabase costs, GdpDeflator deflator)
    {
        var year = MoneyFormat.Year(PriceYear, Errors, "price-year");
        if (year is { } y && !deflator.Covers(y))
        {
            Errors["price-year"] = $"the GDP deflator series has no index for {y}";
        }

        var horizon = MoneyFormat.Number(Horizon, Errors, "horizon", 1, 75);
        var cost = MoneyFormat.Number(Cost, Errors, "cost", 0, 1_000_000_000);
        var costYears = MoneyFormat.Number(CostYears, Errors, "cost-years", 1, 75);
        var cashability = MoneyFormat.Number(Cashability, Errors, "cashability", 0, 1);
        var uplift = MoneyFormat.Number(CostUplift, Errors, "cost-uplift", 0, 5);
        var reduction = MoneyFormat.Number(BenefitReduction, Errors, "benefit-reduction", 0, 1);
        if (uplift is null && !Errors.ContainsKey("cost-uplift"))
        {
            Errors["cost-uplift"] = "enter the optimism-bias cost uplift for the evidence grade (Hearth ships no percentages)";
        }

        if (reduction is null && !Errors.ContainsKey("benefit-reduction"))
        {
            Errors["benefit-reduction"] = "enter the optimism-bias benefit reduction for the evidence grade (Hearth ships no percentages)";
        }

        if (string.IsNullOrWhiteSpace(BiasSource))
        {
            Errors["bias-source"] = "say where the optimism-bias figures come from";
        }

        if (string.IsNullOrWhiteSpace(CostAgency))
        {
            Errors["cost-agency"] = "say which agency bears the cost";
        }

        if (cost is { } c && decimal.Round(c, 2) != c)
        {
            Errors["cost"] = "give the cost in pounds with at most 2 decimals";
        }

        var outcomes = new List<OutcomeLine>();
        for (var i = 0; i < Outcomes.Count; i++)
        {
            var o = Outcomes[i];
            if (string.IsNullOrWhiteSpace(o.Code))
            {
                continue;
            }

            var field = $"outcome-{i}";
            var unit = costs.Find(o.Code);
            if (unit is null)
            {
                Errors[field + "-code"] = $"no unit cost '{o.Code}'";
                continue;
            }

            var need = MoneyFormat.Number(o.Need, Errors, field + "-need", 0, 10_000_000);
            var engagement = MoneyFormat.Number(o.Engagement, Errors, field + "-engagement", 0, 1) ?? 1;
            var impact = MoneyFormat.Number(o.Impact, Errors, field + "-impact", 0, 1);
            var deadweight = MoneyFormat.Number(o.Deadweight, Errors, field + "-deadweight", 0, 1) ?? 0;
            var lag = MoneyFormat.Number(o.Lag, Errors, field + "-lag", 0, 74) ?? 0;
            var duration = MoneyFormat.Number(o.Duration, Errors, field + "-duration", 1, 75) ?? 1;
            var dropOff = MoneyFormat.Number(o.DropOff, Errors, field + "-dropoff", 0, 1) ?? 0;
            if (need is null || impact is null)
            {
                Errors.TryAdd(field + "-need", $"outcome {i + 1}: need and impact are required");
                continue;
            }

            outcomes.Add(new OutcomeLine
            {
                Id = $"{i + 1}-{unit.Code}",
                Description = unit.Description,
                UnitCode = unit.Code,
                Need = need.Value,
                Engagement = engagement,
                Impact = impact.Value,
                Deadweight = deadweight,
                Lag = (int)lag,
                Duration = (int)duration,
                DropOff = dropOff,
                Grade = "what-if",
                Values = [.. new[] { ValueKind.Fiscal, ValueKind.Economic, ValueKind.Social }.Where(k => unit.Value(k) is not null)],
            });
        }

        if (outcomes.Count == 0)
        {
            Errors.TryAdd("outcome-0-code", "give at least one outcome with a unit cost code");
        }

        if (Errors.Count > 0 || year is null || horizon is null || cost is null || costYears is null || cashability is null)
        {
            return null;
        }

        var years = (int)Math.Min(costYears.Value, horizon.Value);
        return new CbaInput
        {
            Name = "What-if",
            PriceYear = year.Value,
            FirstYear = year.Value,
            HorizonYears = (int)horizon.Value,
            OptimismBiasSource = BiasSource,
            OptimismBias = new Dictionary<string, OptimismBiasGrade>(StringComparer.Ordinal)
            {
                ["what-if"] = new("what-if", uplift!.Value, reduction!.Value, "entered on the what-if page"),
            },
            DefaultCashability = cashability.Value,
            Costs = [.. Enumerable.Range(0, years).Select(t => new CostLine($"service-{t}", CostAgency.Trim(), CostType.Revenue, t, Core.Money.FromPounds(cost.Value), year.Value, "what-if", "service cost"))],
            Outcomes = outcomes,
        };
    }
}
