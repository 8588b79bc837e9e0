using Hearth.Core.Audit;
using Hearth.Core.CaseWork;
using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Families;

/// <summary>
/// A family's access history: who viewed or changed its data, in which roles, why, with what outcome and when,
/// from the audit log. For the manager of the team holding the family, administrators and auditors
/// (policy <c>ViewAccessHistory</c>; the family-level rule is <see cref="CaseAccess.DecideAccessHistory"/>).
/// Reading it is audited; a family the reader may not see is not found.
/// </summary>
public sealed class AccessModel(AccessReportService reports) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Reference { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public FamilyAccessHistory History { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = User.ToActor() ?? throw new InvalidOperationException("The access history needs a signed-in user.");
        try
        {
            History = await reports.FamilyHistoryAsync(actor, Reference, PageNumber, HttpContext.Connection.RemoteIpAddress?.ToString(), HttpContext.TraceIdentifier, ct);
        }
        catch (CaseNotFoundException)
        {
            return NotFound();
        }

        return Page();
    }

    public string FamilyUrl => "/families/" + Uri.EscapeDataString(Reference);

    public string PageLink(int page) => FamilyUrl + "/access?page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
