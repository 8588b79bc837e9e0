using Hearth.Core.Access;
using Hearth.Core.CaseWork;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Web.Pages.Families;

/// <summary>The team around the family, and each member's lead professional.</summary>
public sealed class TeamModel(CaseWorkService service, IUserDirectory users) : CaseWorkPageModel(service)
{
    [BindProperty]
    public string? UserId { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public long TeamMemberId { get; set; }

    [BindProperty]
    public string? PersonReference { get; set; }

    [BindProperty]
    public string? LeadUserId { get; set; }

    public IReadOnlyList<(string Value, string Text)> Partners { get; private set; } = [];

    protected override string ViewAction => "team.view";

    public override async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = await base.OnGetAsync(ct);
        await LoadPartnersAsync(ct);
        return result;
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var result = await RunAsync(() => Service.AddTeamMemberAsync(Actor, Reference, UserId ?? string.Empty, Role ?? string.Empty, ct), ct, redirect: FamilyUrl("team"));
        await LoadPartnersAsync(ct);
        return result;
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken ct)
    {
        var result = await RunAsync(() => Service.RemoveTeamMemberAsync(Actor, Reference, TeamMemberId, ct), ct, redirect: FamilyUrl("team"));
        await LoadPartnersAsync(ct);
        return result;
    }

    public async Task<IActionResult> OnPostLeadAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(PersonReference))
        {
            ModelState.AddModelError(nameof(PersonReference), "Select the family member.");
        }

        if (string.IsNullOrWhiteSpace(LeadUserId))
        {
            ModelState.AddModelError(nameof(LeadUserId), "Select the lead professional.");
        }

        var result = await RunAsync(() => Service.SetLeadProfessionalAsync(Actor, Reference, PersonReference!, LeadUserId!, ct), ct, redirect: FamilyUrl("team"));
        await LoadPartnersAsync(ct);
        return result;
    }

    protected override string MapField(string field) => field == "UserId" && Request.Query["handler"] == "Lead" ? nameof(LeadUserId) : field;

    private async Task LoadPartnersAsync(CancellationToken ct)
    {
        Partners = (await users.ListAsync(ct))
            .Where(u => u.Active && u.Roles.Contains(HearthRole.PartnerPractitioner) && u.AgencyId is not null)
            .OrderBy(u => u.AgencyId, StringComparer.Ordinal).ThenBy(u => u.DisplayName, StringComparer.Ordinal)
            .Select(u => (u.UserId, u.DisplayName + " (" + (Family?.AgencyName(u.AgencyId!) ?? u.AgencyId) + ")"))
            .ToList();
    }
}
