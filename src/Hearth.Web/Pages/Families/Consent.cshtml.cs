using Hearth.Core.CaseWork;
using Hearth.Core.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Web.Pages.Families;

/// <summary>Consent per member: record who gave it, when and which agencies it covers; withdraw it.</summary>
public sealed class ConsentModel(CaseWorkService service, HearthDb db) : CaseWorkPageModel(service)
{
    [BindProperty]
    public string? PersonReference { get; set; }

    [BindProperty]
    public ConsentGiver? GivenBy { get; set; }

    [BindProperty]
    public string? GivenByPersonReference { get; set; }

    [BindProperty]
    public DateInput GivenOn { get; set; } = new();

    [BindProperty]
    public List<string> Agencies { get; set; } = [];

    [BindProperty]
    public long ConsentId { get; set; }

    [BindProperty]
    public string? WithdrawalNote { get; set; }

    public IReadOnlyList<Agency> AllAgencies { get; private set; } = [];

    protected override string ViewAction => "consent.view";

    public override async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        AllAgencies = await db.Agencies.AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
        return await base.OnGetAsync(ct);
    }

    public async Task<IActionResult> OnPostRecordAsync(CancellationToken ct)
    {
        AllAgencies = await db.Agencies.AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
        ModelState.Remove(nameof(ConsentId));
        if (string.IsNullOrWhiteSpace(PersonReference))
        {
            ModelState.AddModelError(nameof(PersonReference), "Select the family member.");
        }

        if (GivenBy is null)
        {
            ModelState.AddModelError(nameof(GivenBy), "Select who gave consent.");
        }

        var givenOn = ReadDate(GivenOn, nameof(GivenOn), "the date consent was given");
        if (Agencies.Count == 0)
        {
            ModelState.AddModelError(nameof(Agencies), "Select at least one agency the member agrees may share and see information.");
        }

        return await RunAsync(() => Service.RecordConsentAsync(Actor, Reference,
            new ConsentInput(PersonReference!, GivenBy!.Value, GivenByPersonReference, givenOn!.Value, Agencies), ct), ct, redirect: FamilyUrl("consent"));
    }

    public async Task<IActionResult> OnPostWithdrawAsync(CancellationToken ct)
    {
        AllAgencies = await db.Agencies.AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
        return await RunAsync(() => Service.WithdrawConsentAsync(Actor, Reference, ConsentId, WithdrawalNote, ct), ct, redirect: FamilyUrl("consent"));
    }
}
