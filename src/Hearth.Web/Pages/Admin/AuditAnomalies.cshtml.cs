using System.Globalization;
using Hearth.Core.Audit;
using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Admin;

/// <summary>
/// The anomaly report: users whose use of family data over a chosen period is unusual (reads far above their
/// role's peers, reads of families not allocated to them or their team, repeated denials, out-of-hours activity)
/// and dormant accounts. The rules are <see cref="AccessAnomalyRules"/>; each run is audited.
/// </summary>
public sealed class AuditAnomaliesModel(AccessReportService reports, TimeProvider clock) : PageModel
{
    private static CultureInfo Inv => CultureInfo.InvariantCulture;

    /// <summary>First day of the period (YYYY-MM-DD, UTC), by default 30 days before today.</summary>
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    /// <summary>Last day of the period (inclusive), by default today.</summary>
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? DormantDays { get; set; }

    public AnomalyReport? Report { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var from = ParseDate(From, nameof(From), "the first day", today.AddDays(-30));
        var to = ParseDate(To, nameof(To), "the last day", today);
        var dormant = 90;
        if (!string.IsNullOrWhiteSpace(DormantDays) && (!int.TryParse(DormantDays.Trim(), NumberStyles.None, Inv, out dormant) || dormant is < 1 or > 3650))
        {
            ModelState.AddModelError(nameof(DormantDays), "Dormancy must be a whole number of days from 1 to 3650, for example 90.");
        }

        if (from is { } f && to is { } t && t < f)
        {
            ModelState.AddModelError(nameof(To), "The last day must be the same as or after the first day.");
        }

        From = from?.ToString("yyyy-MM-dd", Inv) ?? From;
        To = to?.ToString("yyyy-MM-dd", Inv) ?? To;
        DormantDays = ModelState.ContainsKey(nameof(DormantDays)) ? DormantDays : dormant.ToString(Inv);
        if (!ModelState.IsValid || from is null || to is null)
        {
            return Page();
        }

        var actor = User.ToActor() ?? throw new InvalidOperationException("The anomaly report needs a signed-in user.");
        Report = await reports.AnomaliesAsync(actor,
            from.Value.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to.Value.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            new AnomalyOptions { DormantDays = dormant }, HttpContext.Connection.RemoteIpAddress?.ToString(), HttpContext.TraceIdentifier, ct);
        return Page();
    }

    private DateOnly? ParseDate(string? value, string field, string label, DateOnly fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", Inv, DateTimeStyles.None, out var date))
        {
            return date;
        }

        ModelState.AddModelError(field, $"Enter {label} as a real date in the form YYYY-MM-DD, for example 2024-05-01.");
        return null;
    }

    public static string RuleTitle(string rule) => rule switch
    {
        AnomalyRules.HighVolume => "Reads far above role peers",
        AnomalyRules.NotAllocated => "Reads of families not allocated to them",
        AnomalyRules.RepeatedDenials => "Repeated denials",
        AnomalyRules.OutOfHours => "Activity out of hours",
        AnomalyRules.Dormant => "Dormant account",
        _ => rule,
    };
}
