using Hearth.Core.Access;
using Hearth.Core.CaseWork;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Web.Pages.Families;

/// <summary>A team manager allocates the family to a key worker in their team.</summary>
[Authorize(Policy = HearthPolicies.AllocateFamilies)]
public sealed class AllocateModel(CaseWorkService service, IUserDirectory users) : CaseWorkPageModel(service)
{
    [BindProperty]
    public string? KeyWorkerId { get; set; }

    [BindProperty]
    public Guid? Version { get; set; }

    /// <summary>Where to go back to after allocating, when the page was opened from the identification list.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The return address if it is one of Hearth's identification pages, else null.</summary>
    public string? SafeReturnUrl => ReturnUrl is { } r && Url.IsLocalUrl(r) && r.StartsWith("/programmes/identification", StringComparison.Ordinal) ? r : null;

    public IReadOnlyList<HearthUserSummary> KeyWorkers { get; private set; } = [];

    protected override string ViewAction => "allocation.view";

    public override async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = await RunAsync(() => Task.CompletedTask, ct);
        await LoadWorkersAsync(ct);
        KeyWorkerId ??= Family?.Case?.KeyWorkerId;
        return result;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(KeyWorkerId))
        {
            ModelState.AddModelError(nameof(KeyWorkerId), "Select the key worker to allocate the family to.");
        }

        var result = await RunAsync(() => Service.AllocateAsync(Actor, Reference, KeyWorkerId!, Version, ct), ct, redirect: SafeReturnUrl ?? FamilyUrl());
        await LoadWorkersAsync(ct);
        return result;
    }

    private async Task LoadWorkersAsync(CancellationToken ct)
    {
        var team = Actor.TeamId;
        KeyWorkers = (await users.ListAsync(ct))
            .Where(u => u.Active && u.Roles.Contains(HearthRole.KeyWorker) && team is not null && string.Equals(u.TeamId, team, StringComparison.Ordinal))
            .OrderBy(u => u.DisplayName, StringComparer.Ordinal)
            .ToList();
    }
}
