using System.Globalization;
using Hearth.Core.Data;
using Hearth.Core.Linkage;
using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Web.Pages.Data.Linkage;

/// <summary>One field of the two records side by side.</summary>
public sealed record FieldPair(string Name, string? Left, string? Right)
{
    /// <summary>The values differ (ignoring case and surrounding spaces), or only one record has a value.</summary>
    public bool Differs => !string.Equals(Left?.Trim(), Right?.Trim(), StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// One review pair: both source records field by field (reading them is audited by the linkage service), the
/// match-weight explanation as a waterfall and a table, and the decision form. Decisions go through
/// <see cref="PersonLinkageService"/>, as <c>hearth link review accept|reject</c> does, so later runs keep them.
/// </summary>
public sealed class PairModel(PersonLinkageService linkage, HearthDb db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    /// <summary>"accept" or "reject".</summary>
    [BindProperty]
    public string? Decision { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public ReviewDetail Detail { get; private set; } = null!;

    public LinkageRun? Run { get; private set; }

    public IReadOnlyList<FieldPair> Fields { get; private set; } = [];

    /// <summary>The next pending pair after this one (strongest first), if any.</summary>
    public long? NextPending { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Decision is not ("accept" or "reject"))
        {
            ModelState.AddModelError(nameof(Decision), "Select whether the two records are the same person");
        }

        if (string.IsNullOrWhiteSpace(Reason))
        {
            ModelState.AddModelError(nameof(Reason), "Enter the reason for your decision");
        }
        else if (Reason.Length > 1000)
        {
            ModelState.AddModelError(nameof(Reason), "The reason must be 1,000 characters or fewer");
        }

        if (!ModelState.IsValid)
        {
            return await LoadAsync(cancellationToken);
        }

        var actor = User.ToActor()!;
        try
        {
            var review = Decision == "accept"
                ? await linkage.AcceptAsync(actor, Id, Reason!, cancellationToken)
                : await linkage.RejectAsync(actor, Id, Reason!, cancellationToken);
            Notice = string.Create(CultureInfo.InvariantCulture,
                $"Pair {review.Id} {(review.Status == ReviewStatus.Accepted ? "accepted: the records will be linked as one person" : "rejected: the records will be kept as different people")} from the next linkage run.");
        }
        catch (KeyNotFoundException)
        {
            return NotFound();
        }

        return RedirectToPage(new { id = Id });
    }

    private async Task<IActionResult> LoadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor()!;
        try
        {
            Detail = await linkage.ShowReviewAsync(actor, Id, cancellationToken);
        }
        catch (KeyNotFoundException)
        {
            return NotFound();
        }

        Run = await db.LinkageRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == Detail.Review.LastRunId, cancellationToken);
        var weight = Detail.Review.MatchWeight;
        NextPending = await db.LinkReviews.AsNoTracking()
            .Where(r => r.Status == ReviewStatus.Pending && r.Id != Id && (r.MatchWeight < weight || (r.MatchWeight == weight && r.Id > Id)))
            .OrderByDescending(r => r.MatchWeight).ThenBy(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken);
        Fields = FieldsOf(Detail);
        return Page();
    }

    private static List<FieldPair> FieldsOf(ReviewDetail d)
    {
        static string? Date(DateOnly? date) => date?.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
        var (l, r) = (d.Left, d.Right);
        return
        [
            new("Agency", l.AgencyId, r.AgencyId),
            new("Agency's record id", l.AgencyRecordId, r.AgencyRecordId),
            new("Given name", l.GivenName, r.GivenName),
            new("Other names", l.OtherNames, r.OtherNames),
            new("Family name", l.FamilyName, r.FamilyName),
            new("Date of birth", Date(l.DateOfBirth), Date(r.DateOfBirth)),
            new("Sex", l.Sex, r.Sex),
            new("Address", l.Address, r.Address),
            new("Postcode", l.Postcode, r.Postcode),
            new("UPRN", l.Uprn, r.Uprn),
            new("NHS number", l.NhsNumber, r.NhsNumber),
            new("National Insurance number", l.Nino, r.Nino),
            new("Unique pupil number", l.Upn, r.Upn),
            new("Person now", d.LeftPerson, d.RightPerson),
        ];
    }
}
