using System.Globalization;
using Hearth.Core.Programmes;
using Hearth.Web.Pages.Families;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Hearth.Web.Pages.Claims;

/// <summary>Words, tags and links the claim pages share.</summary>
public static class ClaimsText
{
    public static string Status(ClaimStatus status) => status switch
    {
        ClaimStatus.Draft => "Draft",
        ClaimStatus.Ready => "Ready for audit",
        ClaimStatus.SignedOff => "Signed off",
        ClaimStatus.Rejected => "Rejected",
        ClaimStatus.Submitted => "Submitted",
        ClaimStatus.Paid => "Paid",
        ClaimStatus.ClawedBack => "Clawed back",
        _ => status.ToString(),
    };

    public static string StatusTag(ClaimStatus status) => status switch
    {
        ClaimStatus.Draft => "govuk-tag--grey",
        ClaimStatus.Ready => "govuk-tag--yellow",
        ClaimStatus.SignedOff => "govuk-tag--green",
        ClaimStatus.Rejected => "govuk-tag--red",
        ClaimStatus.Submitted => "govuk-tag--blue",
        ClaimStatus.Paid => "govuk-tag--turquoise",
        ClaimStatus.ClawedBack => "govuk-tag--orange",
        _ => string.Empty,
    };

    /// <summary>The button text for a move.</summary>
    public static string Action(ClaimStatus to) => to switch
    {
        ClaimStatus.Ready => "Mark ready for audit",
        ClaimStatus.SignedOff => "Sign off",
        ClaimStatus.Rejected => "Reject",
        ClaimStatus.Submitted => "Submit",
        ClaimStatus.Paid => "Mark paid",
        ClaimStatus.ClawedBack => "Claw back",
        _ => to.ToString(),
    };

    public static bool NeedsReason(ClaimStatus to) => to is ClaimStatus.Rejected or ClaimStatus.ClawedBack;

    /// <summary>"/claims/" and the reference, each segment escaped (references hold slashes).</summary>
    public static string Url(string reference) =>
        "/claims/" + string.Join('/', (reference ?? string.Empty).Split('/').Select(Uri.EscapeDataString));

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? date) => date is { } d ? Date(d) : "—";

    public static string When(DateTime utc) => utc.ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>Snake-case status as stored for a need measurement ("not_started") in words ("Not started").</summary>
    public static string NeedStatus(string stored)
    {
        var words = (stored ?? string.Empty).Replace('_', ' ');
        return words.Length == 0 ? "Unknown" : char.ToUpperInvariant(words[0]) + words[1..];
    }

    public static string NeedTag(string stored) => stored switch
    {
        "not_started" => "govuk-tag--grey",
        "progressing" => "govuk-tag--yellow",
        "met" => "govuk-tag--green",
        "sustained" => "govuk-tag--turquoise",
        "lapsed" => "govuk-tag--red",
        _ => "govuk-tag--purple",
    };

    public static string Rate(decimal rate) => (rate * 100m).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>What was measured and how it compared, e.g. "2 &gt;= 1", with the outcome when it adds something.</summary>
    public static string Evidence(EvidenceRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var test = e.Comparison is null ? e.Value : $"{e.Value} {e.Comparison} {e.Threshold}";
        if (!string.Equals(test, e.Outcome, StringComparison.Ordinal))
        {
            test += ": " + e.Outcome;
        }

        return e.UnknownReason is { } why ? $"{test} (unknown: {why})" : test;
    }

    /// <summary>The period a value was measured over, as dates, with the rule's words for it.</summary>
    public static string Period(EvidenceRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var range = e.PeriodStart is { } s && e.PeriodEnd is { } end ? $"{Date(s)} to {Date(end)}" : null;
        var words = e.Window is { } text ? text.Split(" (", 2)[0] : null;
        return (words, range) switch
        {
            (null, null) => "—",
            (null, { } r) => r,
            ({ } w, null) => w,
            ({ } w, { } r) => $"{r} ({w})",
        };
    }

    /// <summary>The events behind a value: type, date, category and the source row.</summary>
    public static string Events(EvidenceRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Events.Count == 0
            ? "none"
            : string.Join("; ", e.Events.Select(ev => $"{ev.Type} {Date(ev.Start)}{(ev.Category is null ? string.Empty : " (" + ev.Category + ")")}, dataset {ev.Dataset} row {ev.Row.ToString(CultureInfo.InvariantCulture)}"));
    }

    /// <summary>Reads a GOV.UK date input, adding an error naming the field when it is missing or not a real date.</summary>
    public static DateOnly? ReadDate(ModelStateDictionary state, DateInput input, string field, string label)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        if (input.IsEmpty)
        {
            state.AddModelError(field, $"Enter {label}.");
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        if (int.TryParse(input.Day, NumberStyles.None, inv, out var d) && int.TryParse(input.Month, NumberStyles.None, inv, out var m)
            && int.TryParse(input.Year, NumberStyles.None, inv, out var y) && y is >= 1900 and <= 2100 && m is >= 1 and <= 12
            && d >= 1 && d <= DateTime.DaysInMonth(y, m))
        {
            return new DateOnly(y, m, d);
        }

        state.AddModelError(field, $"{char.ToUpperInvariant(label[0])}{label[1..]} must be a real date, for example 31 3 2025.");
        return null;
    }
}
