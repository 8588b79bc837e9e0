using Hearth.Core.Programmes;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Programmes.Identification;

/// <summary>
/// One family's identification explained: each headline and need raised with the member it concerns (role and
/// age band), the indicator, the events and the period behind it; for a family that is not eligible, which
/// criteria failed and why. From here the family is allocated (the case work allocation page, returning here)
/// and attached to the programme. Reading the explanation is audited by the identification service.
/// </summary>
[Authorize(Policy = HearthPolicies.IdentifyFamilies)]
public sealed class FamilyModel(IdentificationService identification, IdentificationRuns runs, ProgrammeClaimsService claims, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Reference { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? Framework { get; set; }

    [BindProperty]
    public string? Cohort { get; set; }

    [BindProperty]
    public bool Confirm { get; set; }

    public Framework Selected { get; private set; } = null!;

    /// <summary>The family's stored result, case and attachment; null when there is no such family.</summary>
    public IdentifiedFamily? Status { get; private set; }

    public StoredIdentification? Explanation { get; private set; }

    public DateOnly AsOf { get; private set; }

    public DateOnly Today => IdentificationPages.Today(clock);

    public string ListUrl => IndexModel.ListUrl(Selected.Id, null, false, 1);

    public string PageUrl => "/programmes/identification/" + Uri.EscapeDataString(Reference) + "?framework=" + Uri.EscapeDataString(Selected.Id);

    /// <summary>The allocation page, coming back here when the family is allocated.</summary>
    public string AllocateUrl => "/families/" + Uri.EscapeDataString(Reference) + "/allocate?returnUrl=" + Uri.EscapeDataString(PageUrl);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAttachAsync(CancellationToken ct)
    {
        if (Cohort is { Length: > 100 })
        {
            ModelState.AddModelError(nameof(Cohort), "The cohort name must be 100 characters or fewer.");
        }

        if (!Confirm)
        {
            ModelState.AddModelError(nameof(Confirm), "Confirm that the family is to be attached to the programme from today.");
        }

        Selected = IdentificationPages.Find(Framework) ?? IdentificationPages.Find(null)!;
        if (ModelState.IsValid)
        {
            try
            {
                await claims.AttachIdentifiedAsync(User.ToActor()!, Selected, Reference, Today, string.IsNullOrWhiteSpace(Cohort) ? null : Cohort.Trim(), ct);
                return LocalRedirect(PageUrl + "&attached=1");
            }
            catch (ProgrammeAccessDeniedException)
            {
                return Forbid();
            }
            catch (ClaimRefusedException ex)
            {
                foreach (var broken in ex.Broken)
                {
                    ModelState.AddModelError(string.Empty, char.ToUpperInvariant(broken.Message[0]) + broken.Message[1..] + ".");
                }

                Response.StatusCode = StatusCodes.Status409Conflict;
            }
        }

        return await LoadAsync(ct);
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        var found = IdentificationPages.Find(Framework);
        if (found is null)
        {
            ModelState.AddModelError(nameof(Framework), "Choose a framework from the list.");
        }

        Selected = found ?? IdentificationPages.Find(null)!;
        var actor = User.ToActor()!;
        try
        {
            Status = await runs.FamilyAsync(actor, Selected, Reference, ct);
            if (Status is null)
            {
                return Page();
            }

            AsOf = (await runs.LatestRunAsync(actor, Selected.Id, ct))?.AsOf ?? Today;
            Explanation = await identification.ExplainFamilyAsync(actor, Selected, Reference, AsOf, ct);
        }
        catch (ProgrammeAccessDeniedException)
        {
            return Forbid();
        }

        return Page();
    }
}
