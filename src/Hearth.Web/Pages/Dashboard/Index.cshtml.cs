using Hearth.Core.Access;
using Hearth.Core.CaseWork;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Dashboard;

/// <summary>A key worker's (or partner practitioner's) dashboard: my families, actions due, new agency events.</summary>
[Authorize(Policy = HearthPolicies.ViewCaseWork)]
public sealed class IndexModel(CaseWorkService service) : PageModel
{
    public WorkerDashboard? Board { get; private set; }

    public bool IsManager { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var actor = User.ToActor() ?? throw new InvalidOperationException("The page needs a signed-in user.");
        IsManager = actor.Is(HearthRole.TeamManager);
        if (actor.Is(HearthRole.KeyWorker) || actor.Is(HearthRole.PartnerPractitioner))
        {
            Board = await service.WorkerDashboardAsync(actor, ct);
        }
    }
}
