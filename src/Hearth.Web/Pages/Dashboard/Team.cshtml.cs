using Hearth.Core.CaseWork;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Dashboard;

/// <summary>A team manager's dashboard: caseloads by worker, unallocated families, plans overdue, families ready to close.</summary>
[Authorize(Policy = HearthPolicies.AllocateFamilies)]
public sealed class TeamModel(CaseWorkService service) : PageModel
{
    public ManagerDashboard Board { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = User.ToActor() ?? throw new InvalidOperationException("The page needs a signed-in user.");
        try
        {
            Board = await service.ManagerDashboardAsync(actor, ct);
            return Page();
        }
        catch (CaseForbiddenException)
        {
            return Forbid();
        }
    }
}
