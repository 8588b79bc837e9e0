using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Finance.Profiles;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Money;

/// <summary>The cohort report: what the families in the store cost, and the costliest families.</summary>
[Authorize(Policy = HearthPolicies.ViewMoney)]
public sealed class CohortModel(HearthDb db, IAuditTrail audit, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "year")]
    public string? YearText { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Top { get; set; } = 20;

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public CohortReport? Report { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (User.ToActor() is not { } actor)
        {
            return Challenge();
        }

        var year = MoneyFormat.Year(YearText, Errors, "year");
        if (Errors.Count > 0)
        {
            return Page();
        }

        try
        {
            Report = await new FamilyCostService(db, audit, clock).CohortAsync(actor, "cost-analysis", year, Math.Clamp(Top, 1, 200), cancellationToken: cancellationToken);
        }
        catch (UnauthorizedAccessException)
        {
            return Forbid();
        }

        return Page();
    }
}
