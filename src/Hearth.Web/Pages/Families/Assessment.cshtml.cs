using Hearth.Core.CaseWork;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Web.Pages.Families;

/// <summary>The whole-family assessment: strengths, concerns, the family's view and the needs found.</summary>
public sealed class AssessmentModel(CaseWorkService service) : CaseWorkPageModel(service)
{
    [BindProperty]
    public DateInput CompletedOn { get; set; } = new();

    [BindProperty]
    public string? Strengths { get; set; }

    [BindProperty]
    public string? Concerns { get; set; }

    [BindProperty]
    public string? FamilyView { get; set; }

    [BindProperty]
    public List<string> Themes { get; set; } = [];

    protected override string ViewAction => "assessment.view";

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var completed = ReadDate(CompletedOn, nameof(CompletedOn), "the date the assessment was completed");
        return await RunAsync(() => Service.RecordAssessmentAsync(Actor, Reference,
            new AssessmentInput(completed!.Value, Strengths ?? string.Empty, Concerns ?? string.Empty, FamilyView ?? string.Empty, Themes), ct), ct, redirect: FamilyUrl("assessment"));
    }
}
