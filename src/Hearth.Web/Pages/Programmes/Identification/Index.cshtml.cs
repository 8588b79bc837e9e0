using Hearth.Core.Programmes;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Programmes.Identification;

/// <summary>
/// The identification list: the latest stored run of a framework (as-of date, counts), a button to run it again
/// as of today, and the eligible families of that run, paged and filtered by headline or by whether a team holds
/// them, each with its needs, headlines, key worker and whether it is attached to the programme.
/// </summary>
[Authorize(Policy = HearthPolicies.IdentifyFamilies)]
public sealed class IndexModel(IdentificationRuns runs, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Framework { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Headline { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Unallocated { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Framework Selected { get; private set; } = null!;

    public IdentifiedFamilyPage? List { get; private set; }

    public DateOnly Today => IdentificationPages.Today(clock);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!Choose())
        {
            Selected = IdentificationPages.Find(null)!;
        }

        if (!string.IsNullOrWhiteSpace(Headline) && Selected.Headlines.All(h => !string.Equals(h.Id, Headline, StringComparison.Ordinal)))
        {
            ModelState.AddModelError(nameof(Headline), "Choose a headline of the framework.");
            Headline = null;
        }

        return await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostRunAsync(CancellationToken ct)
    {
        if (!Choose())
        {
            Selected = IdentificationPages.Find(null)!;
            return await LoadAsync(ct);
        }

        try
        {
            await runs.RunAsync(User.ToActor()!, Selected, Today, ct: ct);
        }
        catch (ProgrammeAccessDeniedException)
        {
            return Forbid();
        }

        return LocalRedirect(ListUrl(Selected.Id, null, false, 1) + "&ran=1");
    }

    /// <summary>The list's address with its filters.</summary>
    public static string ListUrl(string framework, string? headline, bool unallocated, int page) =>
        "/programmes/identification?framework=" + Uri.EscapeDataString(framework)
        + (string.IsNullOrWhiteSpace(headline) ? string.Empty : "&headline=" + Uri.EscapeDataString(headline))
        + (unallocated ? "&unallocated=true" : string.Empty)
        + (page > 1 ? "&page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);

    private bool Choose()
    {
        var f = IdentificationPages.Find(Framework);
        if (f is null)
        {
            ModelState.AddModelError(nameof(Framework), "Choose a framework from the list.");
            return false;
        }

        Selected = f;
        return true;
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        try
        {
            List = await runs.ListAsync(User.ToActor()!, Selected, new IdentificationFilter(Headline, Unallocated), PageNumber, 25, ct);
        }
        catch (ProgrammeAccessDeniedException)
        {
            return Forbid();
        }

        return Page();
    }
}
