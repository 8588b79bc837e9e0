using Hearth.Core.CaseWork;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Families;

/// <summary>The families the signed-in user works with, searchable by family or person reference.</summary>
[Authorize(Policy = HearthPolicies.ViewCaseWork)]
public sealed class IndexModel(CaseWorkService service) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public IReadOnlyList<FamilyListItem> Families { get; private set; } = [];

    public bool UsesCaseWork { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var actor = User.ToActor() ?? throw new InvalidOperationException("The page needs a signed-in user.");
        UsesCaseWork = CaseAccess.UsesCaseWork(actor);
        if (Query is { Length: > 0 } && !System.Text.RegularExpressions.Regex.IsMatch(Query.Trim(), "^[FfPp][0-9]{1,12}$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            ModelState.AddModelError("q", "Enter a family reference like F0000123 or a person reference like P0001234.");
            Families = [];
            return;
        }

        Families = await service.ListFamiliesAsync(actor, Query, ct);
    }
}
