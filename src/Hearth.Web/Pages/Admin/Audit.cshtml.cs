using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Web.Pages.Admin;

/// <summary>Search the audit log by user, action, subject and date, newest first, 50 a page. Each search is itself audited.</summary>
public sealed class AuditModel(HearthDb db, IAuditTrail audit) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserFilter { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? SubjectType { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? SubjectId { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public int Total { get; private set; }

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(UserFilter))
        {
            var u = UserFilter.Trim();
            query = query.Where(e => e.ActorId == u || e.ActorName == u);
        }

        if (!string.IsNullOrWhiteSpace(Action))
        {
            var a = Action.Trim();
            query = query.Where(e => e.Action == a || e.Action.StartsWith(a + "."));
        }

        if (!string.IsNullOrWhiteSpace(SubjectType))
        {
            var t = SubjectType.Trim();
            query = query.Where(e => e.SubjectType == t);
        }

        if (!string.IsNullOrWhiteSpace(SubjectId))
        {
            var s = SubjectId.Trim();
            query = query.Where(e => e.SubjectId == s);
        }

        if (From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(e => e.OccurredUtc >= start);
        }

        if (To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(e => e.OccurredUtc < end);
        }

        Total = await query.CountAsync(cancellationToken);
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        Entries = await query.OrderByDescending(e => e.Id).Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);

        var actor = User.ToActor() ?? throw new InvalidOperationException("The audit log needs a signed-in user.");
        audit.Record(db, new AuditEvent(actor, "audit.search", "audit-log", null, "audit",
            Detail: Total.ToString(System.Globalization.CultureInfo.InvariantCulture) + " matching entries"),
            HttpContext.Connection.RemoteIpAddress?.ToString(), HttpContext.TraceIdentifier);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The query string for another page of the same search.</summary>
    public string PageLink(int page)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("user", UserFilter);
        Add("action", Action);
        Add("subjectType", SubjectType);
        Add("subjectId", SubjectId);
        Add("from", From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Add("to", To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        parts.Add("page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "/admin/audit?" + string.Join('&', parts);
    }
}
