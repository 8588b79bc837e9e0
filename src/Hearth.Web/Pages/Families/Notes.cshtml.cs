using Hearth.Core.CaseWork;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Web.Pages.Families;

/// <summary>Case notes about the family or one member.</summary>
public sealed class NotesModel(CaseWorkService service) : CaseWorkPageModel(service)
{
    [BindProperty]
    public string? PersonReference { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public bool Share { get; set; }

    protected override string ViewAction => "notes.view";

    public Task<IActionResult> OnPostAsync(CancellationToken ct) =>
        RunAsync(() => Service.AddNoteAsync(Actor, Reference, PersonReference, Text ?? string.Empty, Share, ct), ct, redirect: FamilyUrl("notes"));
}
