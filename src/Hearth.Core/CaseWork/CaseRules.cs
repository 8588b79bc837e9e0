using System.Globalization;

namespace Hearth.Core.CaseWork;

/// <summary>A rule's answer with the reason, so pages and logs can say why.</summary>
public sealed record RuleResult(bool Allowed, string Rule, string Explanation)
{
    public static RuleResult Allow(string rule, string explanation) => new(true, rule, explanation);

    public static RuleResult Deny(string rule, string explanation) => new(false, rule, explanation);
}

/// <summary>The case's life cycle: which status changes are allowed and why.</summary>
public static class CaseTransitions
{
    /// <summary>
    /// Identified → Allocated (needs a team); Allocated → Allocated (re-allocation); Allocated → Active (needs a
    /// key worker); Identified, Allocated or Active → Closed (needs a reason). Closed is final: a family that
    /// needs help again gets a new case.
    /// </summary>
    public static RuleResult Check(CaseStatus from, CaseStatus to, string? teamId, string? keyWorkerId, ClosureReason? reason)
    {
        const string Rule = "case-status";
        if (from == CaseStatus.Closed)
        {
            return RuleResult.Deny(Rule, "The case is closed; a closed case does not change. Open a new case if the family needs help again.");
        }

        switch (to)
        {
            case CaseStatus.Identified:
                return RuleResult.Deny(Rule, $"A case cannot go back from {Describe(from)} to identified.");
            case CaseStatus.Allocated when from is CaseStatus.Identified or CaseStatus.Allocated:
                return string.IsNullOrWhiteSpace(teamId)
                    ? RuleResult.Deny(Rule, "Allocation needs a team.")
                    : RuleResult.Allow(Rule, from == CaseStatus.Identified ? "Identified family allocated to a team." : "Family re-allocated.");
            case CaseStatus.Active when from == CaseStatus.Allocated:
                return string.IsNullOrWhiteSpace(keyWorkerId)
                    ? RuleResult.Deny(Rule, "Work can start only when a key worker holds the case.")
                    : RuleResult.Allow(Rule, "Allocated case became active when the key worker started work.");
            case CaseStatus.Active when from == CaseStatus.Active:
                return string.IsNullOrWhiteSpace(keyWorkerId) || string.IsNullOrWhiteSpace(teamId)
                    ? RuleResult.Deny(Rule, "An active case must stay with a team and a key worker.")
                    : RuleResult.Allow(Rule, "Active case stays active.");
            case CaseStatus.Active:
                return RuleResult.Deny(Rule, "An identified family must be allocated to a key worker before work starts.");
            case CaseStatus.Closed:
                return reason is null
                    ? RuleResult.Deny(Rule, "Closing a case needs a reason.")
                    : RuleResult.Allow(Rule, $"Case closed from {Describe(from)}: {Describe(reason.Value)}.");
            default:
                return RuleResult.Deny(Rule, $"A case cannot go from {Describe(from)} to {Describe(to)}.");
        }
    }

    public static string Describe(CaseStatus status) => status switch
    {
        CaseStatus.Identified => "identified",
        CaseStatus.Allocated => "allocated",
        CaseStatus.Active => "active",
        CaseStatus.Closed => "closed",
        _ => status.ToString(),
    };

    public static string Describe(ClosureReason reason) => reason switch
    {
        ClosureReason.OutcomesAchieved => "outcomes achieved",
        ClosureReason.SteppedUpToSocialCare => "stepped up to children's social care",
        ClosureReason.SteppedDown => "stepped down to universal or single-agency services",
        ClosureReason.MovedAway => "moved out of the area",
        ClosureReason.DeclinedOrWithdrew => "family declined or withdrew",
        ClosureReason.Other => "other reason",
        _ => reason.ToString(),
    };

    public static string Describe(PlanActionStatus status) => status switch
    {
        PlanActionStatus.NotStarted => "not started",
        PlanActionStatus.InProgress => "in progress",
        PlanActionStatus.Done => "done",
        PlanActionStatus.Cancelled => "cancelled",
        _ => status.ToString(),
    };
}

/// <summary>
/// Who may consent for a family member: people aged 13 or over consent for themselves; a parent or carer
/// consents for a child under 13. The age is taken on the day consent is given. A child whose date of birth no
/// agency record holds is treated as under 13 (a parent or carer consents); an adult member always consents
/// for themselves. Someone born on 29 February has their birthday on 1 March in years without one.
/// </summary>
public static class ConsentRules
{
    public const int SelfConsentAge = 13;

    /// <summary>Completed years of age on <paramref name="on"/>.</summary>
    public static int AgeOn(DateOnly dateOfBirth, DateOnly on)
    {
        var age = on.Year - dateOfBirth.Year;
        var birthdayThisYear = dateOfBirth.Month == 2 && dateOfBirth.Day == 29 && !DateTime.IsLeapYear(on.Year)
            ? new DateOnly(on.Year, 3, 1)
            : new DateOnly(on.Year, dateOfBirth.Month, dateOfBirth.Day);
        if (on < birthdayThisYear)
        {
            age--;
        }

        return age;
    }

    /// <summary>Who must give consent for the member on <paramref name="givenOn"/>, and why.</summary>
    public static (ConsentGiver Giver, string Explanation) RequiredGiver(bool isAdult, DateOnly? dateOfBirth, DateOnly givenOn)
    {
        var inv = CultureInfo.InvariantCulture;
        if (dateOfBirth is { } dob)
        {
            var age = AgeOn(dob, givenOn);
            return age >= SelfConsentAge
                ? (ConsentGiver.Self, string.Format(inv, "Aged {0} on {1:d MMMM yyyy}: 13 or over, so consents for themselves.", age, givenOn))
                : (ConsentGiver.ParentOrCarer, string.Format(inv, "Aged {0} on {1:d MMMM yyyy}: under 13, so a parent or carer consents.", age, givenOn));
        }

        return isAdult
            ? (ConsentGiver.Self, "Adult member (no date of birth held): consents for themselves.")
            : (ConsentGiver.ParentOrCarer, "Child member with no date of birth held by any agency: treated as under 13, so a parent or carer consents.");
    }

    /// <summary>Checks the giver against the rule.</summary>
    public static RuleResult Check(bool isAdult, DateOnly? dateOfBirth, DateOnly givenOn, ConsentGiver givenBy)
    {
        var (required, explanation) = RequiredGiver(isAdult, dateOfBirth, givenOn);
        return required == givenBy
            ? RuleResult.Allow("consent-age", explanation)
            : RuleResult.Deny("consent-age", explanation + (required == ConsentGiver.Self
                ? " A parent or carer cannot consent for them."
                : " They cannot consent for themselves."));
    }
}
