using System.Globalization;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Finance;
using Hearth.Core.Finance.Store;
using Hearth.Core.Finance.UnitCosts;
using Hearth.Web.Infrastructure;
using Hearth.Web.Pages.Families;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Money;

/// <summary>
/// Add or change a local unit cost (data leads; policy in HearthPolicies.PagePolicies). Pounds are entered and
/// stored as whole pence; every field that is wrong gets its own inline error and a line in the error summary.
/// </summary>
public sealed class LocalCostEditModel(HearthDb db, TimeProvider clock, IAuditTrail audit) : PageModel
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The code of the cost being changed (the query's <c>code</c>, read apart from the form's Code field); empty when adding.</summary>
    public string? Editing { get; private set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Outcome { get; set; }

    [BindProperty]
    public string? Unit { get; set; }

    [BindProperty]
    public string? Agency { get; set; }

    [BindProperty]
    public string? Fiscal { get; set; }

    [BindProperty]
    public string? Economic { get; set; }

    [BindProperty]
    public string? Social { get; set; }

    [BindProperty]
    public string? PriceYear { get; set; }

    [BindProperty]
    public string? Source { get; set; }

    [BindProperty]
    public DateInput SourceDate { get; set; } = new();

    public bool IsNew => string.IsNullOrWhiteSpace(Editing);

    public DateField SourceDateField => new("SourceDate", "Date of the source", "The date the document or team gave the figure, for example 31 3 2026", SourceDate);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Editing = Request.Query["code"].FirstOrDefault();
        if (IsNew)
        {
            return Page();
        }

        var row = await new LocalCostStore(db, clock, audit).FindAsync(Editing!, cancellationToken);
        if (row is null)
        {
            return NotFound();
        }

        Code = row.Code;
        Outcome = row.Description;
        Unit = row.Unit;
        Agency = row.AgencyL1;
        Fiscal = Pounds(row.FiscalPence);
        Economic = Pounds(row.EconomicPence);
        Social = Pounds(row.SocialPence);
        PriceYear = (row.FiscalYear ?? row.EconomicYear ?? row.SocialYear) is { } y ? new PriceYear(y).ToString() : null;
        Source = row.Source;
        SourceDate = DateInput.From(row.SourceDate);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.ToActor() is not { } actor)
        {
            return Challenge();
        }

        ModelState.Clear();
        Editing = Request.Query["code"].FirstOrDefault();
        var store = new LocalCostStore(db, clock, audit);
        if (!IsNew)
        {
            Code = Editing;
            if (await store.FindAsync(Editing!, cancellationToken) is null)
            {
                return NotFound();
            }
        }

        var code = Required(Code, nameof(Code), "Enter a code for the local cost, for example LOCAL-MST-1", 50);
        if (code is not null && UnitCostDatabase.UcdV14().Find(code) is not null)
        {
            ModelState.AddModelError(nameof(Code), $"{code} is already a code in the Unit Cost Database v1.4; give the local cost its own code");
        }

        var outcome = Required(Outcome, nameof(Outcome), "Enter the outcome the cost is for", 400);
        var unit = Required(Unit, nameof(Unit), "Enter the unit, for example Per week", 100);
        var agency = Required(Agency, nameof(Agency), "Enter the agency that bears the cost", 100);
        var fiscal = PoundsField(Fiscal, nameof(Fiscal), "Fiscal value");
        var economic = PoundsField(Economic, nameof(Economic), "Economic value");
        var social = PoundsField(Social, nameof(Social), "Social value");
        if (string.IsNullOrWhiteSpace(Fiscal) && string.IsNullOrWhiteSpace(Economic) && string.IsNullOrWhiteSpace(Social))
        {
            ModelState.AddModelError(nameof(Fiscal), "Enter at least one of the fiscal, economic or social values");
        }

        PriceYear? year = null;
        if (string.IsNullOrWhiteSpace(PriceYear))
        {
            ModelState.AddModelError(nameof(PriceYear), "Enter the price year of the values, for example 2025/26");
        }
        else if (!Core.Finance.PriceYear.TryParse(PriceYear, out var parsed, out var reason))
        {
            ModelState.AddModelError(nameof(PriceYear), $"Price year must be a financial year like 2025/26 ({reason})");
        }
        else
        {
            year = parsed;
        }

        var source = Required(Source, nameof(Source), "Enter where the figure comes from (document or team)", 400);
        var sourceDate = ReadDate(SourceDate, nameof(SourceDate), "the date of the source");
        if (sourceDate is { } d && d > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
        {
            ModelState.AddModelError(nameof(SourceDate), "The date of the source must be today or in the past");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var input = new LocalCostInput(code!, outcome!, unit!, agency!, fiscal, fiscal is null ? null : year, source!, sourceDate!.Value,
            Economic: economic, EconomicYear: economic is null ? null : year, Social: social, SocialYear: social is null ? null : year);
        try
        {
            var saved = await store.SaveAsync(actor, input, IsNew, cancellationToken);
            return Redirect("/money/costs/local?saved=" + Uri.EscapeDataString(saved.Code));
        }
        catch (FinanceInputException e)
        {
            ModelState.AddModelError(MapField(e.Field), char.ToUpperInvariant(e.Reason[0]) + e.Reason[1..]);
            return Page();
        }
    }

    private static string MapField(string field) => field switch
    {
        "code" => nameof(Code),
        "description" => nameof(Outcome),
        "unit" => nameof(Unit),
        "agency_l1" => nameof(Agency),
        "source" => nameof(Source),
        "economic_value" => nameof(Economic),
        "social_value" => nameof(Social),
        _ => nameof(Fiscal),
    };

    private static string? Pounds(long? pence) => pence is { } p ? (p / 100m).ToString("0.00", Inv) : null;

    private string? Required(string? text, string field, string message, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            ModelState.AddModelError(field, message);
            return null;
        }

        var t = text.Trim();
        if (t.Length > maxLength)
        {
            ModelState.AddModelError(field, string.Create(Inv, $"{field switch { nameof(Outcome) => "The outcome", nameof(Agency) => "The agency", _ => "The " + field.ToLowerInvariant() }} must be {maxLength} characters or fewer"));
            return null;
        }

        return t;
    }

    /// <summary>Reads pounds (a "£" and thousands commas allowed) into whole pence; at most 2 decimals, not negative.</summary>
    private Core.Money? PoundsField(string? text, string field, string label)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var clean = text.Replace("£", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal).Trim();
        if (!decimal.TryParse(clean, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, Inv, out var pounds))
        {
            ModelState.AddModelError(field, $"{label} must be an amount in pounds, like 1250.50");
            return null;
        }

        if (pounds < 0)
        {
            ModelState.AddModelError(field, $"{label} must be £0 or more");
            return null;
        }

        if (decimal.Round(pounds, 2) != pounds)
        {
            ModelState.AddModelError(field, $"{label} must have no more than 2 decimal places (whole pence)");
            return null;
        }

        if (pounds > 1_000_000_000m)
        {
            ModelState.AddModelError(field, $"{label} must be £1,000,000,000 or less");
            return null;
        }

        return Core.Money.FromPounds(pounds);
    }

    private DateOnly? ReadDate(DateInput input, string field, string label)
    {
        if (input.IsEmpty)
        {
            ModelState.AddModelError(field, $"Enter {label}");
            return null;
        }

        if (int.TryParse(input.Day, NumberStyles.None, Inv, out var d) && int.TryParse(input.Month, NumberStyles.None, Inv, out var m)
            && int.TryParse(input.Year, NumberStyles.None, Inv, out var y) && y is >= 1900 and <= 2100 && m is >= 1 and <= 12
            && d >= 1 && d <= DateTime.DaysInMonth(y, m))
        {
            return new DateOnly(y, m, d);
        }

        ModelState.AddModelError(field, "The date of the source must be a real date, for example 31 3 2026");
        return null;
    }
}
