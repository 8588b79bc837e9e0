using Hearth.Core.CaseWork;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Families;

/// <summary>Updating one action: its owner (a partner practitioner, for their own actions) or the key worker's team.</summary>
public sealed class ActionModel(CaseWorkService service) : CaseWorkPageModel(service)
{
    [BindProperty(SupportsGet = true)]
    public long ActionId { get; set; }

    [BindProperty]
    public PlanActionStatus? Status { get; set; }

    [BindProperty]
    public string? ProgressNote { get; set; }

    [BindProperty]
    public DateInput DueDate { get; set; } = new();

    [BindProperty]
    public Guid Version { get; set; }

    public ActionView? Current { get; private set; }

    protected override string ViewAction => "action.view";

    public override async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = await base.OnGetAsync(ct);
        if (result is PageResult)
        {
            Current = Find();
            if (Current is null)
            {
                return NotFound();
            }

            Status = Current.Action.Status;
            ProgressNote = Current.Action.ProgressNote;
            DueDate = DateInput.From(Current.Action.DueDate);
            Version = Current.Action.Version;
        }

        return result;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Status is null)
        {
            ModelState.AddModelError(nameof(Status), "Select the action's status.");
        }

        var due = ReadDate(DueDate, nameof(DueDate), "the due date", required: false);
        var result = await RunAsync(() => Service.UpdateActionAsync(Actor, Reference, ActionId, Version, Status!.Value, ProgressNote, due, ct), ct, redirect: FamilyUrl("plan"));
        Current = Family is null ? null : Find();
        if (Current is not null && Response.StatusCode == StatusCodes.Status409Conflict)
        {
            // Show the other person's saved values beside the form, and take their version so a resubmission is deliberate.
            Version = Current.Action.Version;
        }

        return result;
    }

    private ActionView? Find() => Family.Plan?.Needs.SelectMany(n => n.Goals).SelectMany(g => g.Actions).FirstOrDefault(a => a.Action.Id == ActionId);
}
