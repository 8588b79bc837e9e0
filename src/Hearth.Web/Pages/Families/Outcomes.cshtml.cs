using Hearth.Core.CaseWork;
using Hearth.Core.Data;
using Hearth.Core.Programmes;

namespace Hearth.Web.Pages.Families;

/// <summary>
/// A family's programme outcomes: for each framework it is attached to, the baseline date and needs, and each
/// need's last measured status (not started, progressing, met, sustained, lapsed, unknown) with the windows
/// it was measured over. Access and audit are the case work's.
/// </summary>
public sealed class OutcomesModel(CaseWorkService service, HearthDb db) : CaseWorkPageModel(service)
{
    public IReadOnlyList<FamilyOutcomes> Outcomes { get; private set; } = [];

    protected override string ViewAction => "outcomes.view";

    public override async Task<Microsoft.AspNetCore.Mvc.IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = await base.OnGetAsync(ct);
        if (result is Microsoft.AspNetCore.Mvc.RazorPages.PageResult && Family.Access.CanViewRecord)
        {
            Outcomes = await ProgrammeClaimsService.FamilyOutcomesAsync(db, Reference, ct);
        }

        return result;
    }
}
