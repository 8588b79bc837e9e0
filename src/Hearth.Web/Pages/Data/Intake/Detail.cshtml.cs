using System.Globalization;
using System.Text;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Data.Intake;

/// <summary>
/// One import: its counts, its issues (row, column, reason) paged and filtered by column, its quarantined
/// rows (the agency's raw text, so showing them is audited) and the CSV error report to download.
/// </summary>
public sealed class DetailModel(ImportHistoryService imports) : PageModel
{
    public const int IssuePageSize = 50;

    public const int QuarantinePageSize = 20;

    /// <summary>The value of the column filter that means "issues about the whole row".</summary>
    public const string WholeRow = "(whole row)";

    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    /// <summary>Only the issues of this column (<see cref="WholeRow"/> for row-level issues); all when empty.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Column { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true, Name = "qpage")]
    public int QuarantinePage { get; set; } = 1;

    public ImportDetail Detail { get; private set; } = null!;

    public Paged<ImportIssue> Issues { get; private set; } = null!;

    public Paged<QuarantinedRow> Quarantined { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor()!;
        var detail = await imports.GetAsync(actor, Id, cancellationToken);
        if (detail is null)
        {
            return NotFound();
        }

        Detail = detail;
        if (!string.IsNullOrEmpty(Column) && Column != WholeRow && !detail.Columns.Any(c => c.Column == Column))
        {
            Column = null;
        }

        Issues = await imports.IssuesAsync(actor, Id, Column == WholeRow ? string.Empty : string.IsNullOrEmpty(Column) ? null : Column, PageNumber, IssuePageSize, cancellationToken);
        Quarantined = await imports.QuarantinedAsync(actor, Id, QuarantinePage, QuarantinePageSize, cancellationToken);
        return Page();
    }

    /// <summary>The machine-readable error report: every issue as CSV, as <c>hearth import --errors FILE.csv</c> writes it.</summary>
    public async Task<IActionResult> OnGetErrorsAsync(CancellationToken cancellationToken)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        if (!await imports.WriteErrorReportAsync(User.ToActor()!, Id, text, cancellationToken))
        {
            return NotFound();
        }

        return File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", string.Create(CultureInfo.InvariantCulture, $"dataset-{Id}-issues.csv"));
    }

    public string IssuesLink(int page) => Link(page, QuarantinePage, Column);

    public string QuarantineLink(int qpage) => Link(PageNumber, qpage, Column) + "#quarantine";

    private string Link(int page, int qpage, string? column)
    {
        var query = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"/data/imports/{Id}?page={page}&qpage={qpage}"));
        if (!string.IsNullOrEmpty(column))
        {
            query.Append("&column=").Append(Uri.EscapeDataString(column));
        }

        return query.ToString();
    }
}
