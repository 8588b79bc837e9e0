using Hearth.Core.Access;
using Hearth.Core.CaseWork;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Web.Pages.Families;

/// <summary>The family plan: needs → goals → actions, and reviews. Each change carries the plan version the user read.</summary>
public sealed class PlanModel(CaseWorkService service, IUserDirectory users) : CaseWorkPageModel(service)
{
    [BindProperty]
    public Guid PlanVersion { get; set; }

    [BindProperty]
    public DateInput NextReviewDue { get; set; } = new();

    [BindProperty]
    public string? Theme { get; set; }

    [BindProperty]
    public string? NeedDescription { get; set; }

    [BindProperty]
    public string? GoalDescription { get; set; }

    [BindProperty]
    public string? ActionDescription { get; set; }

    [BindProperty]
    public long? NeedId { get; set; }

    [BindProperty]
    public long? GoalId { get; set; }

    [BindProperty]
    public DateInput TargetDate { get; set; } = new();

    [BindProperty]
    public string? OwnerUserId { get; set; }

    [BindProperty]
    public DateInput DueDate { get; set; } = new();

    [BindProperty]
    public DateInput ReviewedOn { get; set; } = new();

    [BindProperty]
    public string? Summary { get; set; }

    /// <summary>Which form was posted, so its errors show beside it.</summary>
    public string? Form { get; private set; }

    public IReadOnlyList<(string UserId, string Name)> Owners { get; private set; } = [];

    protected override string ViewAction => "plan.view";

    public override async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = await base.OnGetAsync(ct);
        await LoadOwnersAsync(ct);
        return result;
    }

    public Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        Form = "create";
        var due = ReadDate(NextReviewDue, nameof(NextReviewDue), "the first review date");
        return FinishAsync(() => Service.CreatePlanAsync(Actor, Reference, due!.Value, ct), ct);
    }

    public Task<IActionResult> OnPostNeedAsync(CancellationToken ct)
    {
        Form = "need";
        return FinishAsync(() => Service.AddNeedAsync(Actor, Reference, PlanVersion, Theme ?? string.Empty, NeedDescription ?? string.Empty, ct), ct);
    }

    public Task<IActionResult> OnPostGoalAsync(CancellationToken ct)
    {
        Form = "goal";
        if (NeedId is null)
        {
            ModelState.AddModelError(nameof(NeedId), "Select the need the goal is for.");
        }

        var target = ReadDate(TargetDate, nameof(TargetDate), "the target date", required: false);
        return FinishAsync(() => Service.AddGoalAsync(Actor, Reference, PlanVersion, NeedId!.Value, GoalDescription ?? string.Empty, target, ct), ct);
    }

    public Task<IActionResult> OnPostActionAsync(CancellationToken ct)
    {
        Form = "action";
        if (GoalId is null)
        {
            ModelState.AddModelError(nameof(GoalId), "Select the goal the action is for.");
        }

        var due = ReadDate(DueDate, nameof(DueDate), "the date the action is due");
        return FinishAsync(() => Service.AddActionAsync(Actor, Reference, PlanVersion, GoalId!.Value, ActionDescription ?? string.Empty, OwnerUserId ?? string.Empty, due, ct), ct);
    }

    public Task<IActionResult> OnPostReviewAsync(CancellationToken ct)
    {
        Form = "review";
        var reviewed = ReadDate(ReviewedOn, nameof(ReviewedOn), "the review date");
        var next = ReadDate(NextReviewDue, nameof(NextReviewDue), "the next review date");
        return FinishAsync(() => Service.ReviewPlanAsync(Actor, Reference, PlanVersion, reviewed!.Value, Summary ?? string.Empty, next, ct), ct);
    }

    /// <summary>The service names the description field "Description"; each form on this page has its own.</summary>
    protected override string MapField(string field) => field == "Description"
        ? Form switch { "need" => nameof(NeedDescription), "goal" => nameof(GoalDescription), _ => nameof(ActionDescription) }
        : field;

    private async Task<IActionResult> FinishAsync(Func<Task> work, CancellationToken ct)
    {
        var result = await RunAsync(work, ct, redirect: FamilyUrl("plan"));
        await LoadOwnersAsync(ct);
        return result;
    }

    /// <summary>Who can own an action: the key worker's team and the partners in the team around the family.</summary>
    private async Task LoadOwnersAsync(CancellationToken ct)
    {
        if (Family?.Case is not { } c)
        {
            return;
        }

        var owners = new List<(string, string)>();
        foreach (var u in (await users.ListAsync(ct)).Where(u => u.Active && (u.Roles.Contains(HearthRole.KeyWorker) || u.Roles.Contains(HearthRole.TeamManager))
            && string.Equals(u.TeamId, c.TeamId, StringComparison.Ordinal)).OrderBy(u => u.DisplayName, StringComparer.Ordinal))
        {
            owners.Add((u.UserId, u.DisplayName + " (key work team)"));
        }

        foreach (var t in Family.Team)
        {
            owners.Add((t.Member.UserId, t.DisplayName + " (" + Family.AgencyName(t.Member.AgencyId) + ")"));
        }

        Owners = owners;
    }
}
