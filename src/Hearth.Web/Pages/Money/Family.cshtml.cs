using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Finance;
using Hearth.Core.Finance.Profiles;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Money;

/// <summary>One family's cost profile, line by line, each traceable to its events and unit cost; the read is audited.</summary>
[Authorize(Policy = HearthPolicies.ViewMoney)]
public sealed class FamilyModel(HearthDb db, IAuditTrail audit, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Reference { get; set; }

    [BindProperty(SupportsGet = true, Name = "year")]
    public string? YearText { get; set; }

    [BindProperty(SupportsGet = true, Name = "attached")]
    public string? AttachedText { get; set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public FamilyCostProfile? Profile { get; private set; }

    public PriceYear PriceYear { get; private set; }

    public bool Missing { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (User.ToActor() is not { } actor)
        {
            return Challenge();
        }

        var year = MoneyFormat.Year(YearText, Errors, "year");
        var attached = MoneyFormat.Date(AttachedText, Errors, "attached");
        if (string.IsNullOrWhiteSpace(Reference) || Errors.Count > 0)
        {
            return Page();
        }

        var service = new FamilyCostService(db, audit, clock);
        try
        {
            var engine = await service.EngineAsync(cancellationToken);
            PriceYear = engine.Config.PriceYear;
            Profile = await service.ProfileAsync(actor, Reference.Trim(), "cost-analysis", year, attached, engine, cancellationToken);
        }
        catch (UnauthorizedAccessException)
        {
            return Forbid();
        }

        Missing = Profile is null;
        return Page();
    }
}
