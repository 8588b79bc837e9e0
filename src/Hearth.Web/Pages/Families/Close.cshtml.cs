using Hearth.Core.CaseWork;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Web.Pages.Families;

/// <summary>Closing the case with a reason.</summary>
public sealed class CloseModel(CaseWorkService service) : CaseWorkPageModel(service)
{
    [BindProperty]
    public ClosureReason? Reason { get; set; }

    [BindProperty]
    public DateInput ClosedOn { get; set; } = new();

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public Guid Version { get; set; }

    protected override string ViewAction => "closure.view";

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Reason is null)
        {
            ModelState.AddModelError(nameof(Reason), "Select why the case is closing.");
        }

        var closedOn = ReadDate(ClosedOn, nameof(ClosedOn), "the closure date");
        return await RunAsync(() => Service.CloseAsync(Actor, Reference, Version, Reason, closedOn, Note, ct), ct, redirect: FamilyUrl());
    }
}
