using Hearth.Core.Access;
using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Admin.Users;

/// <summary>Adds a user with roles, team and agency; shows their one-time set-up code once.</summary>
public sealed class NewModel(UserAccounts accounts) : PageModel
{
    [BindProperty]
    public string UserName { get; set; } = string.Empty;

    [BindProperty]
    public string DisplayName { get; set; } = string.Empty;

    [BindProperty]
    public List<HearthRole> Roles { get; set; } = [];

    [BindProperty]
    public string? TeamId { get; set; }

    [BindProperty]
    public string? AgencyId { get; set; }

    public string? Error { get; private set; }

    public ProvisionedUser? Created { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor() ?? throw new InvalidOperationException("Administration needs a signed-in user.");
        try
        {
            Created = await accounts.CreateAsync(UserName, DisplayName, Roles, TeamId, AgencyId, actor, cancellationToken);
        }
        catch (UserAccountException e)
        {
            Error = e.Message;
        }

        return Page();
    }
}
