using System.Globalization;
using Hearth.Core.Access;
using Hearth.Core.CaseWork;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Families;

/// <summary>
/// The shared part of the case work pages: the signed-in actor, the family record the page shows, and how the
/// service's answers become responses (not found → 404, not allowed → 403, a conflict or invalid input →
/// the page again with an error summary and inline errors). Access itself is decided in Core.
/// </summary>
[Authorize(Policy = HearthPolicies.ViewCaseWork)]
public abstract class CaseWorkPageModel(CaseWorkService service) : PageModel
{
    protected CaseWorkService Service { get; } = service;

    [BindProperty(SupportsGet = true)]
    public string Reference { get; set; } = string.Empty;

    public FamilyRecord Family { get; protected set; } = null!;

    /// <summary>The audit action for reading the page, e.g. "plan.view".</summary>
    protected abstract string ViewAction { get; }

    protected Actor Actor => User.ToActor() ?? throw new InvalidOperationException("The page needs a signed-in user.");

    protected static CultureInfo Inv => CultureInfo.InvariantCulture;

    /// <summary>Whether the page shows the agency event timeline (only the record page does; the others skip reading it).</summary>
    protected virtual bool ShowsTimeline => false;

    protected async Task LoadAsync(CancellationToken ct) => Family = await Service.GetFamilyAsync(Actor, Reference, ViewAction, ShowsTimeline, ct);

    public virtual async Task<IActionResult> OnGetAsync(CancellationToken ct) => await RunAsync(() => Task.CompletedTask, ct, redisplay: true);

    /// <summary>
    /// Runs a change and, if it worked, redirects to <paramref name="redirect"/>; otherwise shows the page again
    /// with what went wrong. A read (no redirect) just loads the page.
    /// </summary>
    protected async Task<IActionResult> RunAsync(Func<Task> work, CancellationToken ct, bool redisplay = false, string? redirect = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            if (ModelState.IsValid)
            {
                await work();
                if (redirect is not null)
                {
                    return LocalRedirect(redirect);
                }
            }
        }
        catch (CaseNotFoundException)
        {
            return NotFound();
        }
        catch (CaseForbiddenException ex)
        {
            ModelState.AddModelError(string.Empty, ex.Message);
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        catch (CaseConflictException ex)
        {
            ModelState.AddModelError(string.Empty, ex.Message);
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        catch (CaseValidationException ex)
        {
            foreach (var e in ex.Errors)
            {
                ModelState.AddModelError(MapField(e.Field), e.Message);
            }
        }

        try
        {
            await LoadAsync(ct);
        }
        catch (CaseNotFoundException)
        {
            return NotFound();
        }

        _ = redisplay;
        return Page();
    }

    /// <summary>The form field a service error's field name belongs to on this page.</summary>
    protected virtual string MapField(string field) => field;

    public string FamilyUrl(string? section = null) => "/families/" + Uri.EscapeDataString(Reference) + (section is null ? string.Empty : "/" + section);

    /// <summary>Reads a GOV.UK date input's three fields, adding an inline error under <paramref name="field"/> when they do not make a date.</summary>
    protected DateOnly? ReadDate(DateInput input, string field, string label, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.IsEmpty)
        {
            if (required)
            {
                ModelState.AddModelError(field, $"Enter {label}.");
            }

            return null;
        }

        if (int.TryParse(input.Day, NumberStyles.None, Inv, out var d) && int.TryParse(input.Month, NumberStyles.None, Inv, out var m)
            && int.TryParse(input.Year, NumberStyles.None, Inv, out var y) && y is >= 1900 and <= 2100 && m is >= 1 and <= 12
            && d >= 1 && d <= DateTime.DaysInMonth(y, m))
        {
            return new DateOnly(y, m, d);
        }

        ModelState.AddModelError(field, $"{char.ToUpperInvariant(label[0])}{label[1..]} must be a real date, for example 27 3 2024.");
        return null;
    }
}

/// <summary>The three boxes of a GOV.UK date input.</summary>
public sealed class DateInput
{
    public string? Day { get; set; }

    public string? Month { get; set; }

    public string? Year { get; set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Day) && string.IsNullOrWhiteSpace(Month) && string.IsNullOrWhiteSpace(Year);

    public static DateInput From(DateOnly date) => new()
    {
        Day = date.Day.ToString(CultureInfo.InvariantCulture),
        Month = date.Month.ToString(CultureInfo.InvariantCulture),
        Year = date.Year.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>How the pages word case work values.</summary>
public static class CaseWorkText
{
    public static string Date(DateOnly? date) => date?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) ?? "–";

    public static string Date(DateTime? utc) => utc?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) ?? "–";

    public static string Status(CaseStatus? status) => status is { } s ? CaseTransitions.Describe(s) : "not identified";

    public static string StatusTag(CaseStatus? status) => status switch
    {
        CaseStatus.Identified => "govuk-tag--yellow",
        CaseStatus.Allocated => "govuk-tag--blue",
        CaseStatus.Active => "govuk-tag--green",
        CaseStatus.Closed => "govuk-tag--grey",
        _ => "govuk-tag--grey",
    };

    public static string Giver(ConsentGiver giver) => giver == ConsentGiver.Self ? "the member themselves" : "a parent or carer";

    public static string Role(Hearth.Core.Data.FamilyRole role) => role == Hearth.Core.Data.FamilyRole.Adult ? "Adult" : "Child";
}

/// <summary>What the date input partial needs: the field name (also the first box's id), legend, hint and value.</summary>
public sealed record DateField(string Name, string Legend, string? Hint, DateInput Value);

/// <summary>What the text area partial needs: the field name (also its id), label and value.</summary>
public sealed record TextField(string Name, string Label, string? Value);

/// <summary>What the select partial needs: the field name (also its id), label, options (value, text) and the selected value.</summary>
public sealed record SelectField(string Name, string Label, IReadOnlyList<(string Value, string Text)> Options, string? Value);
